#!/usr/bin/env bash
# End-to-end check of a sweep under Slurm on this one machine (docs/cluster.md):
#   1. installs Slurm and MUNGE if they are missing (apt-get, as root);
#   2. starts munged, slurmctld and slurmd by hand (no systemd) with a one-node slurm.conf
#      written under $ROOT (default /tmp/slurm-e2e) for this host: its CPUs, half its memory,
#      one partition "debug", no accounting, no cgroups (proctrack/pgid, task/none);
#   3. runs the tiny sweep sweeps/tiny.json with GNU parallel / xargs (scripts/sweep-parallel-e2e.sh)
#      as the reference, unless that was done already;
#   4. writes the same sweep into another folder and submits its slurm.sbatch; cancels array
#      task 3 (scancel JOB_3) once its run has written a checkpoint and before it finishes;
#      waits for the array; collects (7 finished, 1 unfinished);
#   5. submits the whole array again: finished runs do nothing, the cancelled one resumes;
#      collects and compares with the reference: the same runs, statuses and figures and the
#      same weight digests (bit-identical weights), timing columns aside.
# Stops the daemons it started at the end (KEEP_SLURM=1 keeps them running).
#
# Usage: scripts/slurm-e2e.sh [OUT]   (default /tmp/metalearn-sweep-e2e; OUT/parallel, OUT/slurm)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
out=${1:-/tmp/metalearn-sweep-e2e}
root=${ROOT:-/tmp/slurm-e2e}
sweep=${SWEEP:-sweeps/tiny.json}
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
log() { echo "[slurm-e2e $(date +%H:%M:%S)] $*"; }
script_start=$(now)

# 1. Install.
if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
    log "installing slurm-wlm and munge"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y slurm-wlm munge
fi
log "$(slurmctld -V), munge $(dpkg-query -W -f='${Version}' munge 2>/dev/null || echo '?')"

if [[ -z "${METALEARN:-}" ]]; then
    swift build -c release -Xswiftc -target-cpu -Xswiftc native --product metalearn >/dev/null
    METALEARN="$(swift build -c release -Xswiftc -target-cpu -Xswiftc native --show-bin-path)/metalearn"
fi
export METALEARN

# 2. MUNGE and Slurm daemons, started by hand.
mkdir -p /run/munge /var/lib/munge /var/log/munge
chown munge:munge /run/munge /var/lib/munge /var/log/munge
chmod 0755 /run/munge
if [[ ! -s /etc/munge/munge.key ]]; then
    mkdir -p /etc/munge
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
fi
started_munged=0
if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
    runuser -u munge -- /usr/sbin/munged
    started_munged=1
    sleep 1
fi
munge -n </dev/null | unmunge >/dev/null
log "munged answers"

mkdir -p "$root/state" "$root/spool" "$root/log"
rm -f "$root/cgroup.conf"   # none: task/none and proctrack/pgid need no cgroups
node=$(hostname -s)
cpus=$(nproc)
memory=$(free -m | awk '/^Mem:/ { print int($2 / 2) }')
cat > "$root/slurm.conf" <<EOF
# One-node Slurm for scripts/slurm-e2e.sh (written by it; docs/cluster.md).
ClusterName=metalearn-e2e
SlurmctldHost=$node
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CryptoType=crypto/munge
StateSaveLocation=$root/state
SlurmdSpoolDir=$root/spool
SlurmctldPidFile=$root/slurmctld.pid
SlurmdPidFile=$root/slurmd.pid
SlurmctldLogFile=$root/log/slurmctld.log
SlurmdLogFile=$root/log/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
ProctrackType=proctrack/pgid
TaskPlugin=task/none
SwitchType=switch/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MaxArraySize=1001
KillWait=30
SlurmdTimeout=60
NodeName=$node CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$root/slurm.conf"

started_slurmctld=0
started_slurmd=0
stop_daemons() {
    if [[ "${KEEP_SLURM:-0}" == 1 ]]; then return; fi
    # Only the daemons this run started, by the process ids in their pid files.
    if [[ "$started_slurmd" == 1 && -s "$root/slurmd.pid" ]]; then kill "$(cat "$root/slurmd.pid")" 2>/dev/null || true; fi
    if [[ "$started_slurmctld" == 1 && -s "$root/slurmctld.pid" ]]; then kill "$(cat "$root/slurmctld.pid")" 2>/dev/null || true; fi
    if [[ "$started_munged" == 1 && -s /run/munge/munged.pid ]]; then kill "$(cat /run/munge/munged.pid)" 2>/dev/null || true; fi
}
trap stop_daemons EXIT

if ! scontrol ping 2>/dev/null | grep -q UP; then
    slurmctld -f "$SLURM_CONF"
    started_slurmctld=1
fi
if ! [[ -s "$root/slurmd.pid" ]] || ! kill -0 "$(cat "$root/slurmd.pid")" 2>/dev/null; then
    slurmd -f "$SLURM_CONF"
    started_slurmd=1
fi
for _ in $(seq 60); do
    state=$(sinfo -h -N -o "%T" 2>/dev/null | head -n 1 || true)
    [[ "$state" == idle* || "$state" == mixed* || "$state" == allocated* ]] && break
    [[ "$state" == drain* || "$state" == down* ]] && scontrol update nodename="$node" state=resume 2>/dev/null || true
    sleep 1
done
log "node $node: $(sinfo -h -N -o '%T %c CPUs %m MB' | head -n 1)"

# 3. The reference run outside Slurm.
if [[ ! -s "$out/parallel/collect.csv" ]]; then
    log "reference run with GNU parallel / xargs"
    scripts/sweep-parallel-e2e.sh "$out/parallel"
fi

# Selects the columns that do not measure time from a collect CSV.
untimed() {
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) keep[i] = ($i != "wall_seconds" && $i != "steps_per_second" && $i != "path") }
             { line = ""; for (i = 1; i <= NF; i++) if (keep[i]) line = line (line == "" ? "" : ",") $i; print line }' "$1"
}

wait_for_array() {
    while squeue -h -j "$1" 2>/dev/null | grep -q .; do sleep 0.5; done
}

# 4. The sweep under Slurm, with one task cancelled mid-run.
rm -rf "$out/slurm"
"$METALEARN" sweep "$sweep" --out "$out/slurm" >/dev/null
count=$(wc -l < "$out/slurm/jobs.txt")
victim_line=3
victim=$(sed -n "${victim_line}p" "$out/slurm/jobs.txt" | awk '{ print $NF }')
start=$(now)
job=$(sbatch --parsable "$out/slurm/slurm.sbatch")
log "submitted array job $job ($count tasks)"
cancelled=0
for _ in $(seq 1200); do
    if [[ -f "$victim/model.json" && ! -f "$victim/summary.json" ]]; then
        scancel "${job}_${victim_line}"
        cancelled=1
        log "cancelled task ${job}_${victim_line} while $(basename "$victim") was running (checkpoint at epoch $(grep -m1 '"epoch"' "$victim/model.json" | tr -dc 0-9))"
        break
    fi
    [[ -f "$victim/summary.json" ]] && break
    sleep 0.1
done
wait_for_array "$job"
first=$(seconds "$start" "$(now)")
"$METALEARN" collect "$out/slurm" --output "$out/slurm/collect-after-cancel.csv"
after_cancel=$(cut -d, -f2 "$out/slurm/collect-after-cancel.csv" | tail -n +2 | sort | uniq -c | tr -s ' ' | paste -sd,)
log "first submission done in ${first} s: ${after_cancel}"
if [[ -f "$out/slurm/logs/${job}_${victim_line}.out" ]]; then
    log "log of the cancelled task:"; sed 's/^/    /' "$out/slurm/logs/${job}_${victim_line}.out" | tail -n 4
fi

# 5. Submit the whole array again.
start=$(now)
job2=$(sbatch --parsable "$out/slurm/slurm.sbatch")
log "resubmitted as array job $job2"
wait_for_array "$job2"
second=$(seconds "$start" "$(now)")
nothing=$(cat "$out/slurm/logs/${job2}"_*.out | grep -c "nothing to do" || true)
resumed=$(cat "$out/slurm/logs/${job2}"_*.out | grep -c "resuming at epoch" || true)
"$METALEARN" collect "$out/slurm" --output "$out/slurm/collect.csv"
log "second submission done in ${second} s: ${nothing} tasks had nothing to do, ${resumed} resumed"

untimed "$out/parallel/collect.csv" > "$out/parallel/collect-untimed.csv"
untimed "$out/slurm/collect.csv" > "$out/slurm/collect-untimed.csv"
finished=$(grep -c ",finished," "$out/slurm/collect.csv" || true)
"$METALEARN" collect "$out/slurm" --over-seeds --format md
if diff -u "$out/parallel/collect-untimed.csv" "$out/slurm/collect-untimed.csv"; then
    same="identical"
else
    same="DIFFERENT"
fi
log "Slurm ($count runs, task $victim_line cancelled and resumed) against GNU parallel / xargs: $finished of $count finished; tables without timing columns $same (weight digests included)"
log "total $(seconds "$script_start" "$(now)") s"
if [[ "$same" != identical || "$finished" -ne "$count" || "$cancelled" -ne 1 || "$resumed" -ne 1 ]]; then
    echo "FAILED" >&2
    exit 1
fi
echo "OK"
