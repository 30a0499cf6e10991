import ArgumentParser
import Foundation
import MetaLearning

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Write a sweep file's runs as job lines for a cluster (Slurm array) or GNU parallel.",
        discussion: """
            The sweep file (JSON, docs/cluster.md) has a base configuration ("base": options of train without \
            dashes, or "config": a config.json) and the points to run ("product": axes whose every combination is a \
            point, and/or "points": an explicit list). Writes into --out: jobs.txt (one idempotent `metalearn \
            train --config … --out …` line per point), slurm.sbatch (task i runs line i), configs/, runs/, logs/ and \
            sweep.json. Example:
              metalearn sweep sweeps/tiny.json --out sweeps/out/tiny
              parallel -j 2 --joblog sweeps/out/tiny/parallel.log < sweeps/out/tiny/jobs.txt
              metalearn collect sweeps/out/tiny --group-by lr
            """)

    @Argument(help: "The sweep file (JSON).", transform: nonEmptyPath)
    var sweepFile: String

    @Option(help: "The sweep folder to write.", transform: nonEmptyPath)
    var out: String

    @OptionGroup(title: "Cluster options")
    var cluster: ClusterOptions

    func run() throws {
        do {
            let file = try SweepFile.load(path: sweepFile)
            var plan = try file.plan()
            plan.slurm = try cluster.settings(over: plan.slurm)
            try cluster.write(plan, to: out)
        } catch {
            throw failure(error)
        }
    }
}
