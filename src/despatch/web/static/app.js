// despatch web app: the little JavaScript there is. Every page reads without it.
//
// 1. A footnote marker is a link to its note at the end of the document (and
//    the note links back). With this script, the marker opens the note in
//    place instead, right after the marker, and closes it again (the marker,
//    the close button or Escape), so the reader never loses their line.
// 2. The citation box gets a "Copy" button.
(function () {
  "use strict";

  function closeNote(pop, link, giveFocusBack) {
    pop.remove();
    link.setAttribute("aria-expanded", "false");
    if (giveFocusBack) link.focus();
  }

  function noteFor(link) {
    var href = link.getAttribute("href") || "";
    if (href.charAt(0) !== "#") return null;
    return document.getElementById(decodeURIComponent(href.slice(1)));
  }

  function openNote(link, note) {
    var sup = link.parentElement;
    var pop = document.createElement("span");
    pop.className = "note-pop";
    pop.id = "pop-" + note.id;
    pop.setAttribute("role", "note");
    pop.setAttribute("aria-label", "Note " + link.textContent);
    pop.tabIndex = -1;

    var number = document.createElement("span");
    number.className = "note-pop-n";
    number.textContent = link.textContent + " ";
    pop.appendChild(number);

    // A copy of the note's text (ids dropped so they stay unique, the back link dropped as it leads here).
    var body = (note.querySelector(".note-text") || note).cloneNode(true);
    body.removeAttribute("id");
    body.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    body.querySelectorAll(".backref, .note-n").forEach(function (el) { el.remove(); });
    pop.appendChild(body);

    var close = document.createElement("button");
    close.type = "button";
    close.className = "note-pop-close";
    close.setAttribute("aria-label", "Close note " + link.textContent);
    close.textContent = "×";
    close.addEventListener("click", function () { closeNote(pop, link, true); });
    pop.appendChild(close);

    pop.addEventListener("keydown", function (event) {
      if (event.key === "Escape") closeNote(pop, link, true);
    });
    sup.after(pop);
    link.setAttribute("aria-expanded", "true");
    link.setAttribute("aria-controls", pop.id);
    pop.focus();
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest('a[role="doc-noteref"]') : null;
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var note = noteFor(link);
    if (!note) return;
    event.preventDefault();
    var open = link.parentElement.nextElementSibling;
    if (open && open.classList.contains("note-pop")) {
      closeNote(open, link, false);
    } else {
      openNote(link, note);
    }
  });

  document.querySelectorAll('a[role="doc-noteref"]').forEach(function (link) {
    link.setAttribute("aria-expanded", "false");
  });

  document.querySelectorAll(".copy-row").forEach(function (row) {
    var button = row.querySelector("button.copy");
    var status = row.querySelector(".copy-status");
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source || !navigator.clipboard) return;
    row.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(
        function () { status.textContent = "Copied."; },
        function () { status.textContent = "Could not copy; select the citation instead."; }
      );
    });
  });
})();
