// Search highlights: the API escapes each fragment as HTML and adds only <em> and </em> around the matches.
// Those markers alone become markup (<mark>); every other character, entities decoded, becomes text.

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** The text an HTML-escaped string stands for (named entities above, decimal and hex character references). */
export function unescapeHtml(text) {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, ref) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** A fragment as DOM nodes: text nodes, and a <mark> for each <em>...</em>. */
export function highlightNodes(fragment) {
  const nodes = [];
  const parts = String(fragment).split(/(<em>|<\/em>)/);
  let marked = false;
  for (const part of parts) {
    if (part === '<em>') { marked = true; continue; }
    if (part === '</em>') { marked = false; continue; }
    if (part === '') continue;
    const text = document.createTextNode(unescapeHtml(part));
    if (marked) {
      const mark = document.createElement('mark');
      mark.appendChild(text);
      nodes.push(mark);
    } else {
      nodes.push(text);
    }
  }
  return nodes;
}
