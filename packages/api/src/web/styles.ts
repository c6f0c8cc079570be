/**
 * The one stylesheet, inlined in every page (no extra request on a slow phone; a test keeps it under
 * 10 KB). Mobile first: one column, large touch targets; wider screens only get more margin.
 */
export const STYLES = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#f4f6f4}
[lang=ur] body,body[lang=ur],[lang=ur]{font-family:"Noto Nastaliq Urdu","Jameel Noori Nastaleeq","Noto Naskh Arabic",system-ui,sans-serif}
[lang=ur] body{line-height:2}
a{color:#0b5c3b}
header.top{background:#0b5c3b;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
header.top a{color:#fff}
header.top .brand{font-weight:700;font-size:1.2rem;text-decoration:none}
header.top nav{display:flex;gap:1rem;flex-wrap:wrap;margin-inline-start:auto}
main{max-width:44rem;margin:0 auto;padding:1rem}
main.wide{max-width:72rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
.card{background:#fff;border:1px solid #d5dbd5;border-radius:8px;padding:1rem;margin:0 0 1rem}
.field{margin:0 0 1rem}
.field label,.field legend{display:block;font-weight:600}
.hint{margin:.1rem 0 .3rem;color:#4a544a;font-size:.9rem}
.error{margin:.1rem 0 .3rem;color:#a4161a;font-weight:600}
.has-error input,.has-error select,.has-error textarea{border-color:#a4161a;border-width:2px}
input,select,textarea{font:inherit;width:100%;padding:.55rem;border:1px solid #7a857a;border-radius:6px;background:#fff;min-height:2.75rem}
input[type=checkbox],input[type=radio]{width:auto;min-height:0;margin-inline-end:.4rem}
fieldset{border:1px solid #d5dbd5;border-radius:8px;padding:.75rem 1rem;margin:0 0 1rem}
.checks label{display:inline-flex;align-items:center;font-weight:400;margin-inline-end:1rem}
.ltr{direction:ltr;text-align:left}
[dir=rtl] .ltr{text-align:right}
button,.button{font:inherit;font-weight:600;display:inline-block;padding:.6rem 1.2rem;min-height:2.75rem;border-radius:6px;border:2px solid #0b5c3b;background:#0b5c3b;color:#fff;cursor:pointer;text-decoration:none}
button.secondary,.button.secondary{background:#fff;color:#0b5c3b}
button.danger{background:#a4161a;border-color:#a4161a}
.summary{border:2px solid #a4161a;background:#fff5f5;border-radius:8px;padding:.75rem 1rem;margin:0 0 1rem}
.notice{border:2px solid #0b5c3b;background:#eef7f1;border-radius:8px;padding:.75rem 1rem;margin:0 0 1rem}
.warn{border:2px solid #b7791f;background:#fff8e6;border-radius:8px;padding:.75rem 1rem;margin:0 0 1rem}
.reference{font:700 1.6rem/1.2 ui-monospace,Menlo,Consolas,monospace;letter-spacing:.1em;direction:ltr;display:inline-block}
.status{font-size:1.3rem;font-weight:700}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border-bottom:1px solid #d5dbd5;padding:.4rem .5rem;text-align:start;vertical-align:top}
td.n,th.n{text-align:end;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));gap:.6rem;margin:0 0 1rem}
.tile{background:#fff;border:1px solid #d5dbd5;border-radius:8px;padding:.6rem .8rem}
.tile b{display:block;font-size:1.6rem;font-variant-numeric:tabular-nums}
.tile span{color:#4a544a;font-size:.9rem}
.bar{height:.8rem;background:#e3e8e3;border-radius:4px;overflow:hidden}
.bar i{display:block;height:100%;background:#0b5c3b}
.row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.muted{color:#4a544a;font-size:.9rem}
.tag{display:inline-block;padding:0 .4rem;border-radius:4px;background:#e3e8e3;font-size:.85rem}
svg.chart{width:100%;height:auto;background:#fff;border:1px solid #d5dbd5;border-radius:8px}
footer{max-width:44rem;margin:2rem auto;padding:0 1rem;color:#4a544a;font-size:.9rem}
@media (min-width:40rem){main{padding:1.5rem}.pair{display:grid;grid-template-columns:1fr 1fr;gap:0 1rem}}
`
  .trim()
  .replace(/\n/g, '');
