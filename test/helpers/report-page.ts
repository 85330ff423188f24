/** GitHub-like page around the rendered markdown; a script records whether each image loaded. */
export function page(bodyHtml: string, dark: boolean): string {
  const bg = dark ? "#0d1117" : "#ffffff";
  const fg = dark ? "#e6edf3" : "#1f2328";
  return `<!doctype html><html><head><meta charset="utf-8"><title>report</title><style>
body{background:${bg};color:${fg};font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;max-width:940px;margin:24px auto;line-height:1.5}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #8c959f55;padding:4px 10px}code{background:#8c959f33;padding:1px 4px;border-radius:4px}
img{max-width:100%}#image-check{display:none}</style></head><body>${bodyHtml}
<script>window.addEventListener("load",()=>{const r=[...document.images].map(i=>({src:i.getAttribute("src"),ok:i.complete&&i.naturalWidth>0&&i.naturalHeight>0,w:i.naturalWidth,h:i.naturalHeight}));
const pre=document.createElement("pre");pre.id="image-check";pre.textContent=JSON.stringify(r);document.body.appendChild(pre);});</script></body></html>`;
}
