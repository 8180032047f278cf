// The text a visitor sees on the page, piece by piece, with the language it is marked in.
// Returns [{text, lang, data, where}]: `lang` is the nearest lang attribute, `data` says the
// piece is marked as not the page's own words (another language, class "data", or
// translate="no": names, the entries' words, codes and addresses).
const pageLang = document.documentElement.lang;
const out = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
function visible(el) {
  if (el.closest("script, style, template, noscript")) return false;
  // A closed <details> and a chart's title and description are read too: check them.
  if (el.closest("details") || el.closest("svg")) return true;
  for (let e = el; e; e = e.parentElement) {
    const style = getComputedStyle(e);
    if (style.display === "none" || style.visibility === "hidden") return false;
  }
  return true;
}
function where(el) {
  const parts = [];
  for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
    parts.unshift(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.split(" ")[0] : ""));
  }
  return parts.join(" > ");
}
let node;
while ((node = walker.nextNode())) {
  const text = node.nodeValue.replace(/\s+/g, " ").trim();
  if (!text) continue;
  const el = node.parentElement;
  if (!visible(el)) continue;
  const marked = el.closest("[lang]");
  const lang = marked ? marked.getAttribute("lang") : pageLang;
  const data = lang !== pageLang || el.closest('.data, [translate="no"]') !== null;
  out.push({ text, lang, data, where: where(el) });
}
// Attributes a visitor meets: titles (tooltips), labels read aloud, the document title.
for (const el of document.querySelectorAll("[title], [aria-label], img[alt]")) {
  for (const attr of ["title", "aria-label", "alt"]) {
    const text = (el.getAttribute(attr) || "").trim();
    if (!text) continue;
    const marked = el.closest("[lang]");
    const lang = marked ? marked.getAttribute("lang") : pageLang;
    const data = lang !== pageLang || el.closest('.data, [translate="no"]') !== null;
    out.push({ text, lang, data, where: where(el) + "@" + attr });
  }
}
out.push({ text: document.title, lang: pageLang, data: false, where: "title" });
return out;
