module crucible.dev/kind/pause

go 1.24
