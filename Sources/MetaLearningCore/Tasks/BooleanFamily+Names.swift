extension BooleanFamily {
    /// A short conventional name of truth table `table` (docs/method.md §2: f(p) = bit p of the table,
    /// p = 2·x1 + x2), used to label plots: `0`, `NOR`, `¬x1∧x2`, `¬x1`, `x1∧¬x2`, `¬x2`,
    /// `XOR`, `NAND`, `AND`, `XNOR`, `x2`, `x1→x2`, `x1`, `x2→x1`, `OR`, `1`; `table <n>` outside 0…15.
    public static func name(ofTable table: Int) -> String {
        let names = ["0", "NOR", "¬x1∧x2", "¬x1", "x1∧¬x2", "¬x2", "XOR", "NAND",
                     "AND", "XNOR", "x2", "x1→x2", "x1", "x2→x1", "OR", "1"]
        return names.indices.contains(table) ? names[table] : "table \(table)"
    }
}
