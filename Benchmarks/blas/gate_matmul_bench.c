#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_THREAD_CPUTIME_ID,&t);return t.tv_sec+1e-9*t.tv_nsec;}
/* forward: A[B][G] = Z[B][M] * W[G][M]^T ; backward: dZ[B][M] = dA[B][G]*W[G][M]; dW[G][M] += dA^T Z */
static void naive(int B,int G,int M,const double*Z,const double*W,double*A,const double*dA,double*dZ,double*dW){
  for(int b=0;b<B;b++)for(int g=0;g<G;g++){double s=0;for(int m=0;m<M;m++)s+=Z[b*M+m]*W[g*M+m];A[b*G+g]=s;}
  for(int b=0;b<B;b++){for(int m=0;m<M;m++)dZ[b*M+m]=0;for(int g=0;g<G;g++){double a=dA[b*G+g];for(int m=0;m<M;m++)dZ[b*M+m]+=a*W[g*M+m];}}
  for(int b=0;b<B;b++)for(int g=0;g<G;g++){double a=dA[b*G+g];for(int m=0;m<M;m++)dW[g*M+m]+=a*Z[b*M+m];}
}
static void blas(int B,int G,int M,const double*Z,const double*W,double*A,const double*dA,double*dZ,double*dW){
  cblas_dgemm(CblasRowMajor,CblasNoTrans,CblasTrans,B,G,M,1.0,Z,M,W,M,0.0,A,G);
  cblas_dgemm(CblasRowMajor,CblasNoTrans,CblasNoTrans,B,M,G,1.0,dA,G,W,M,0.0,dZ,M);
  cblas_dgemm(CblasRowMajor,CblasTrans,CblasNoTrans,G,M,B,1.0,dA,G,Z,M,1.0,dW,M);
}
int main(){
  int sizes[][2]={{11,16},{11,128},{35,16},{35,128}};
  for(int s=0;s<4;s++){int n=sizes[s][0],B=sizes[s][1],G=4*n,M=3+n+1;
    double*Z=malloc(8*B*M),*W=malloc(8*G*M),*A=malloc(8*B*G),*dA=malloc(8*B*G),*dZ=malloc(8*B*M),*dW=calloc(G*M,8);
    for(int i=0;i<B*M;i++)Z[i]=rand()/(double)RAND_MAX;for(int i=0;i<G*M;i++)W[i]=rand()/(double)RAND_MAX;for(int i=0;i<B*G;i++)dA[i]=rand()/(double)RAND_MAX;
    for(int which=0;which<2;which++){double best=1e9;for(int r=0;r<5;r++){int it=200000/B*16/ (n>20?8:1);double t0=now();
      for(int i=0;i<it;i++){if(which==0)naive(B,G,M,Z,W,A,dA,dZ,dW);else blas(B,G,M,Z,W,A,dA,dZ,dW);}
      double t=(now()-t0)/it/B*1e9; if(t<best)best=t;}
      printf("n=%d B=%3d %-6s %.1f ns per sequence-step (gate matmuls fwd+bwd)\n",n,B,which?"blas":"loops",best);}
  }
  return 0;}
