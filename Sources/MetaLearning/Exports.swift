// `import MetaLearning` gives the whole library: the core's families, networks and learners
// (docs/architecture.md) come with the training, evaluation and file layers built on them.
@_exported import MetaLearningCore
