"""The site's one stylesheet: system fonts, readable from a 320 px phone to a wide laptop.

Tables of class ``stack`` turn into one labelled card per row below 40rem (each cell's
``data-label`` becomes its caption), so no page needs horizontal scrolling on a phone.
"""

CSS = """
:root{--fg:#1b2230;--muted:#5a6376;--accent:#1c5aa6;--accent-dark:#123f78;--line:#d9dee7;
--bg:#fff;--soft:#f3f5f9;--warn:#8a5a00}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
:lang(ko){word-break:keep-all}
body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",
"Apple SD Gothic Neo","Malgun Gothic",sans-serif;color:var(--fg);background:var(--bg)}
.wrap{max-width:62rem;margin:0 auto;padding-left:1rem;padding-right:1rem}
header{background:var(--accent);color:#fff;padding:.9rem 0 .8rem}
header .wrap{display:flex;flex-wrap:wrap;align-items:baseline;gap:.1rem .8rem}
header a.course{color:#fff;text-decoration:none;font-weight:650;font-size:1.15rem;line-height:1.3}
header .ko{opacity:.92}
header .code{opacity:.8;font-size:.88rem;flex-basis:100%}
nav{background:var(--soft);border-bottom:1px solid var(--line);position:sticky;top:0;z-index:1}
nav .wrap{display:flex;flex-wrap:wrap;gap:.15rem 1.1rem;padding-top:.45rem;padding-bottom:.45rem}
nav a{color:var(--accent-dark);text-decoration:none;font-size:.95rem;white-space:nowrap}
nav a:hover{text-decoration:underline}
nav a[aria-current=page]{font-weight:650;border-bottom:2px solid var(--accent)}
main{padding-top:.6rem;padding-bottom:1rem}
h1{font-size:1.65rem;line-height:1.25;margin:.7rem 0 .5rem}
h2{font-size:1.3rem;line-height:1.3;margin:1.8rem 0 .5rem;padding-bottom:.2rem;
border-bottom:1px solid var(--line)}
h3{font-size:1.08rem;margin:1.3rem 0 .35rem}
p{margin:.45rem 0 .8rem}
a{color:var(--accent)}
.lead{color:var(--muted);margin-top:0}
ul{padding-left:1.3rem;margin:.4rem 0 .9rem}li{margin:.18rem 0}
ul.plain{list-style:none;padding-left:0}
ul.names{columns:2 14rem;column-gap:2rem}
ul.names li{margin:0;padding:.12rem 0;break-inside:avoid}
.table-wrap{overflow-x:auto;margin:.5rem 0 1rem}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid var(--line);padding:.4rem .6rem;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.88em;
background:var(--soft);border-radius:4px}
code{padding:.05rem .3rem;white-space:nowrap}
pre{padding:.6rem .8rem;overflow-x:auto;white-space:pre-wrap;word-break:break-word}
.card{border:1px solid var(--line);border-radius:8px;padding:.6rem .9rem;margin:.7rem 0}
.card h3{margin-top:.2rem}
.muted{color:var(--muted)}
.nowrap{white-space:nowrap}
td:first-child code{white-space:nowrap}
.file h3{margin:.2rem 0 .3rem;font-size:1rem}.file h3 .muted{font-weight:400;font-size:.9rem}
.file p{margin:.3rem 0}
.file.starter{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;
gap:.2rem 1rem;padding:.45rem .9rem}
.file.starter h3,.file.starter p{margin:0}
.note{color:var(--warn)}
.mark-pass{color:#137333;font-weight:700}.mark-fail{color:#b3261e;font-weight:700}
.mark-not-checked{color:var(--muted)}.counts span{margin-right:1rem;font-weight:600}
.due{font-weight:600}
.download{display:inline-block;margin:.2rem 0 .6rem;padding:.35rem .8rem;border-radius:6px;
background:var(--accent);color:#fff;text-decoration:none;font-weight:600}
.download:hover{background:var(--accent-dark)}
.pager{display:flex;justify-content:space-between;gap:1rem;margin-top:2rem}
img{max-width:100%;height:auto;border:1px solid var(--line);border-radius:4px;margin:.3rem 0}
footer{color:var(--muted);font-size:.85rem;text-align:center;padding-top:2rem;padding-bottom:2rem}
@media (max-width:40rem){
  body{font-size:15.5px}
  h1{font-size:1.4rem}
  h2{font-size:1.18rem}
  table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
  table.stack thead{display:none}
  table.stack tr{border:1px solid var(--line);border-radius:8px;margin:.6rem 0;padding:.3rem 0}
  table.stack td{border:0;padding:.15rem .7rem}
  table.stack td::before{content:attr(data-label);display:block;font-size:.78rem;
  color:var(--muted);text-transform:uppercase;letter-spacing:.03em}
  table.stack td:empty{display:none}
  table.stack td:first-child{font-weight:650}
  table.stack td:first-child::before{display:none}
}
"""
