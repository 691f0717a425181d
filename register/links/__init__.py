"""The public links of entries, checked: `fetch` asks a web server whether a link still
works, refusing any address inside the register's own network; `checks` checks every link
of every public entry, keeps what it found, and tells publishers of new breakages."""
