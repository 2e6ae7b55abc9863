// A dashboard as an app builds it: huntkit from npm (a bare import; Vite emits the wasm), a
// matrix of accounts × programs and the process tree, each driving the other's selection.
import { buildProcessTree, extractIocs, init, plotMatrix, plotProcessTree, readTable } from "huntkit";
import eventsUrl from "../../data/win_proc_test.arrow?url";
import "./style.css";

const status = document.getElementById("status");
const basename = (path) => String(path ?? "").split("\\").pop();

async function main() {
  await init();
  const events = new Uint8Array(await (await fetch(eventsUrl)).arrayBuffer());
  // The matrix wants the program's file name, not its path: one more column on the rows.
  const rows = readTable(events).toRows().map((r) => ({ ...r, Program: basename(r.NewProcessName) }));
  const tree = buildProcessTree(events);
  const nodes = tree.nodes();

  const matrix = plotMatrix(document.getElementById("matrix"), rows, {
    x: "SubjectUserName",
    y: "Program",
    sort: "asc",
    height: 560,
    title: "Accounts × programs",
  });
  const treeView = plotProcessTree(document.getElementById("tree"), tree, { legendCol: "SubjectUserName", height: 560 });

  const showIocs = (commandLine) => {
    const body = document.querySelector("#iocs tbody");
    body.replaceChildren(
      ...extractIocs(commandLine ?? "").map((m) => {
        const tr = document.createElement("tr");
        for (const text of [m.type, m.value, m.original]) tr.insertCell().textContent = text;
        return tr;
      }),
    );
  };

  // Matrix → tree: the account's processes of that program; the first one is selected.
  matrix.element.addEventListener("input", () => {
    const cell = matrix.value;
    const matches = nodes.flatMap((n, i) => {
      const row = n.row === null ? null : rows[n.row];
      return row && row.SubjectUserName === cell.x && row.Program === cell.y ? [i] : [];
    });
    treeView.highlight(cell.y);
    treeView.select(matches[0]);
    status.textContent = `${cell.x} ran ${cell.y} ${matches.length} times: the first is selected in the tree`;
  });
  // Tree → matrix: the process's cell, and the indicators in its command line.
  treeView.on("select", (selected) => {
    const row = selected?.row ? rows[selected.node.row] : null;
    const cell = row ? matrix.select({ x: row.SubjectUserName, y: row.Program }) : matrix.select(null);
    showIocs(row?.CommandLine);
    if (row && cell) status.textContent = `${row.Program} (PID ${selected.node.pid}) by ${row.SubjectUserName}: ${cell.value} such processes`;
  });

  status.textContent = `${rows.length} events, ${tree.summary().processes} processes. Click a cell or a process.`;
  window.dashboard = { matrix, treeView }; // for scripts in the page
  document.body.dataset.ready = "1";
}

main().catch((err) => {
  status.textContent = `error: ${err.message}`;
  document.body.dataset.error = err.message;
});
