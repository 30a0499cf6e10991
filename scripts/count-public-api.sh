#!/usr/bin/env bash
# Counts the library's public declarations (lines declaring a public or open symbol) and those
# among them whose line mentions an Unsafe* type, per target folder under Sources/ (the CLI
# excluded). Underscored (_name) kernel entry points are counted separately.
set -euo pipefail
cd "$(dirname "$0")/../Sources"
decl='^\s*(@[A-Za-z]+(\([^)]*\))?\s+)*(public|open)\s+(static\s+|final\s+|override\s+|mutating\s+|nonmutating\s+|convenience\s+|required\s+|indirect\s+|lazy\s+|private\(set\)\s+|internal\(set\)\s+)*(func|var|let|init|subscript|class|struct|enum|protocol|typealias|actor|extension|case)\b'
for dir in */; do
    [[ "$dir" == "metalearn/" ]] && continue
    total=$(grep -rEh "$decl" "$dir" --include=*.swift | grep -vc 'extension' || true)
    unsafe=$(grep -rEh "$decl" "$dir" --include=*.swift | grep -v 'extension' | grep 'Unsafe' | grep -vcE '(func|var|let) _' || true)
    underscored=$(grep -rEh "$decl" "$dir" --include=*.swift | grep -cE '(func|var|let) _' || true)
    printf '%-24s public %5s   with Unsafe %3s   underscored kernel API %3s\n' "${dir%/}" "$total" "$unsafe" "$underscored"
done
