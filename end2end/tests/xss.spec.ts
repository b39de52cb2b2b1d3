import { test, expect, Browser, Page } from "@playwright/test";
import { hydrated, logIn } from "./helpers";

// Stored (and a little reflected) cross-site scripting, across the whole site: well over a
// hundred payloads go into every field that other people see, then every page that shows them
// is opened as each role (visitor, delegate, head of delegation, committee, organiser). No
// payload may run, no element may be injected, no dialog may open, and the textareas that
// start from stored text must hold it exactly as it was written.
//
// Every payload reports itself when it fires without relying on dialogs: script runs push a
// number onto `window.__xss` (the field × 1000 + the payload's number, so a failure names
// both), and every element a payload would inject carries `data-xss` or an id starting with
// `xss-`. The payload text itself legitimately shows on pages as text; only real elements and
// real script effects count.
//
// It runs once per server, in one project only (by default "phone": it runs last there, just
// before the adoption project, so the long unbroken payload words it leaves in the programme
// and the draft cannot disturb the other specs' checks that pages fit a phone's width, nor the
// paragraph labels the drafting specs expect). `XSS_PROJECT=desktop` runs it in another one.
// It only adds things (a paragraph at the end of the draft, amendments, comments, a session,
// a room, delegations, people); it adopts nothing.

const SLUG = "mexico-city-2015";
const C = `/conferences/${SLUG}`;
const PROJECT = process.env.XSS_PROJECT ?? "phone";
/** After hydration, time for events that come late (an image's error, a toggle, a focus). */
const SETTLE_MS = 400;

// ---------------------------------------------------------------------------------------------
// the payloads

/** What a payload does when it runs: records its code on the top window. */
function act(code: number, short: boolean): string {
  return short ? `top.__xss=[${code}]` : `(top.__xss=top.__xss||[]).push(${code})`;
}
/** The marker an injected element carries. */
function mark(code: number): string {
  return code % 2 ? "data-xss" : `id=xss-${code}`;
}

type Template = { name: string; make: (x: string, m: string, code: number) => string; multiline?: boolean };

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

const TEMPLATES: Template[] = [
  // textarea break-outs (first, so that every field, however short, gets them)
  { name: "textarea → script", make: (x, m) => `</textarea><script ${m}>${x}</script>` },
  { name: "textarea → img onerror", make: (x, m) => `</textarea><img src=x onerror=${x} ${m}>` },
  { name: "textarea pair → svg onload", make: (x, m) => `<textarea></textarea><svg onload=${x} ${m}>` },
  { name: "TEXTAREA upper case → script", make: (x, m) => `</TEXTAREA><script ${m}>${x}</script>` },
  { name: "textarea end tag with space", make: (x, m) => `</textarea ><img src=x onerror=${x} ${m}>` },
  { name: "textarea end tag with tab", make: (x, m) => `</textarea\t><svg onload=${x} ${m}>` },
  { name: "textarea self-closing end tag", make: (x, m) => `</textarea/><svg/onload=${x} ${m}>` },
  { name: "textarea end tag with attribute", make: (x, m) => `</textarea foo="bar"><img src=x onerror=${x} ${m}>` },
  { name: "textarea → iframe srcdoc", make: (x, m) => `</textarea><iframe ${m} srcdoc="&lt;script&gt;${x}&lt;/script&gt;"></iframe>` },
  { name: "textarea → details ontoggle", make: (x, m) => `</textarea><details open ontoggle=${x} ${m}>` },
  { name: "textarea → body onload", make: (x, m) => `</textarea><body onload=${x} ${m}>` },
  { name: "textarea → input autofocus", make: (x, m) => `</textarea><input autofocus onfocus=${x} ${m}>` },
  { name: "textarea → video source onerror", make: (x, m) => `</textarea><video><source onerror=${x} ${m}></video>` },
  { name: "textarea → math/table/mglyph/style", make: (x, m) => `</textarea><math><mtext><table><mglyph><style><img src=x onerror=${x} ${m}>` },
  { name: "textarea → javascript: link", make: (x, m) => `</textarea><a ${m} href=javascript:${x}>x</a>` },
  { name: "textarea → formaction", make: (x, m) => `</textarea><form ${m}><button formaction=javascript:${x}>x</button></form>` },
  { name: "textarea → object data", make: (x, m) => `</textarea><object ${m} data=javascript:${x}></object>` },
  { name: "textarea → style", make: (x, m) => `</textarea><style ${m}>*{}</style>` },
  { name: "textarea → noscript title mXSS", make: (x, m) => `</textarea><noscript><p title="</noscript><img src=x onerror=${x} ${m}>">` },
  { name: "textarea → svg script", make: (x, m) => `</textarea><svg><script ${m}>${x}</script></svg>` },
  { name: "textarea → svg animate onbegin", make: (x, m) => `</textarea><svg><animate onbegin=${x} attributeName=x dur=1s ${m}>` },
  { name: "textarea break-out, entity-encoded", make: (x, m) => `&lt;/textarea&gt;&lt;img src=x onerror=${x} ${m}&gt;` },
  { name: "textarea end, decimal entities, then script", make: (x, m) => `&#60;/textarea&#62;<script ${m}>${x}</script>` },
  { name: "textarea → new textarea", make: (x, m) => `</textarea><textarea ${m}>` },
  { name: "textarea → script setting the title", make: (x, m) => `</textarea><script ${m}>document.title=/XSS/.source;${x}</script>` },
  { name: "textarea → img onerror with alert", make: (x, m) => `</textarea><img src=x onerror=${x},alert(1) ${m}>` },
  // other raw-text and escapable elements
  { name: "title → script", make: (x, m) => `</title><script ${m}>${x}</script>` },
  { name: "title → img", make: (x, m) => `</title><img src=x onerror=${x} ${m}>` },
  { name: "style → script", make: (x, m) => `</style><script ${m}>${x}</script>` },
  { name: "style → img", make: (x, m) => `</style><img src=x onerror=${x} ${m}>` },
  { name: "script → script", make: (x, m) => `</script><script ${m}>${x}</script>` },
  { name: "script → img", make: (x, m) => `</script><img src=x onerror=${x} ${m}>` },
  { name: "SCRIPT upper case with space → svg", make: (x, m) => `</SCRIPT ><svg onload=${x} ${m}>` },
  { name: "noscript → img", make: (x, m) => `</noscript><img src=x onerror=${x} ${m}>` },
  { name: "xmp → img", make: (x, m) => `</xmp><img src=x onerror=${x} ${m}>` },
  { name: "noembed → img", make: (x, m) => `</noembed><img src=x onerror=${x} ${m}>` },
  { name: "noframes → img", make: (x, m) => `</noframes><img src=x onerror=${x} ${m}>` },
  { name: "iframe → img", make: (x, m) => `</iframe><img src=x onerror=${x} ${m}>` },
  { name: "option/select → img", make: (x, m) => `</option></select><img src=x onerror=${x} ${m}>` },
  { name: "every raw-text end tag → svg", make: (x, m) => `</textarea></title></style></script><svg onload=${x} ${m}>` },
  { name: "comment end → img", make: (x, m) => `--><img src=x onerror=${x} ${m}>` },
  { name: "comment inside attribute", make: (x, m) => `<!--<img src="--><img src=x onerror=${x} ${m}>">` },
  { name: "CDATA end → img", make: (x, m) => `]]><img src=x onerror=${x} ${m}>` },
  { name: "comment --!> → img", make: (x, m) => `<!-- --!><img src=x onerror=${x} ${m}> -->` },
  { name: "processing instruction → img", make: (x, m) => `<?xml ?><img src=x onerror=${x} ${m}>` },
  { name: "<!--<script> (double-escaped script data)", make: (x, m) => `<!--<script></script><img src=x onerror=${x} ${m}>` },
  { name: "U+2028/U+2029 then script end", make: (x, m) => `\u2028\u2029</script><img src=x onerror=${x} ${m}>` },
  { name: "template → img", make: (x, m) => `</template><img src=x onerror=${x} ${m}>` },
  { name: "head/body → img", make: (x, m) => `</head><body><img src=x onerror=${x} ${m}>` },
  { name: "pre → img", make: (x, m) => `</pre><img src=x onerror=${x} ${m}>` },
  // attribute break-outs
  { name: 'attribute "> img', make: (x, m) => `"><img src=x onerror=${x} ${m}>` },
  { name: "attribute '> img", make: (x, m) => `'><img src=x onerror=${x} ${m}>` },
  { name: "attribute '> svg", make: (x, m) => `'><svg onload=${x} ${m}>` },
  { name: 'attribute "> svg', make: (x, m) => `"><svg onload=${x} ${m}>` },
  { name: 'attribute " onmouseover', make: (x) => `" onmouseover=${x} data-xss="` },
  { name: "attribute ' onfocus autofocus", make: (x) => `' onfocus=${x} autofocus data-xss='` },
  { name: 'attribute " autofocus onfocus', make: (x) => `" autofocus onfocus=${x} data-xss x="` },
  { name: "unquoted attribute onerror", make: (x) => `x onerror=${x} data-xss` },
  { name: 'attribute "/> script', make: (x, m) => `"/><script ${m}>${x}</script>` },
  { name: 'attribute " style animation', make: (x) => `" style="animation-name:x" onanimationstart=${x} data-xss="` },
  { name: 'attribute "> javascript: link', make: (x, m) => `"><a href="javascript:${x}" ${m}>x</a>` },
  { name: "attribute break-out, named entities", make: (x, m) => `&quot;&gt;&lt;img src=x onerror=${x} ${m}&gt;` },
  { name: "attribute break-out, numeric entities", make: (x, m) => `&#34;&#62;&#60;svg onload=${x} ${m}&#62;` },
  { name: 'attribute \\"> img', make: (x, m) => `\\"><img src=x onerror=${x} ${m}>` },
  { name: "attribute backtick> img", make: (x, m) => "`><img src=x onerror=" + x + " " + m + ">" },
  { name: 'attribute "></option> img', make: (x, m) => `"></option><img src=x onerror=${x} ${m}>` },
  { name: "attribute ' accesskey onclick", make: (x) => `' accesskey=x onclick=${x} data-xss='` },
  // script and template contexts
  { name: "JS single-quoted string", make: (x) => `';${x};//` },
  { name: "JS double-quoted string", make: (x) => `";${x};//` },
  { name: "JS escaped quote", make: (x) => `\\';${x};//` },
  { name: "JS template literal", make: (x) => "${" + x + "}" },
  { name: "template expression", make: (x) => `{{constructor.constructor('${x}')()}}` },
  { name: "script end, unterminated script", make: (x, m) => `</script><script ${m}>${x}//` },
  { name: "HTML comment in script", make: (x) => `-->${x}<!--` },
  // Markdown links and images
  { name: "Markdown javascript: link", make: (x) => `[xss](javascript:${x})` },
  { name: "Markdown JaVaScRiPt: link", make: (x) => `[xss](JaVaScRiPt:${x})` },
  { name: "Markdown javascript&#58; link", make: (x) => `[xss](javascript&#58;${x})` },
  { name: "Markdown jav&#x61;script: link", make: (x) => `[xss](jav&#x61;script:${x})` },
  { name: "Markdown &#106;avascript: link", make: (x) => `[xss](&#106;avascript:${x})` },
  { name: "Markdown java<TAB>script: link", make: (x) => `[xss](<java\tscript:${x}>)` },
  { name: "Markdown <javascript:> destination", make: (x) => `[xss](<javascript:${x}>)` },
  { name: "Markdown javascript: link with spaces and title", make: (x) => `[xss]( javascript:${x} "t")` },
  { name: "Markdown vbscript: link", make: (x) => `[xss](vbscript:${x})` },
  { name: "Markdown data:text/html link", make: (x) => `[xss](data:text/html;base64,${b64(`<script>${x}</script>`)})` },
  { name: "Markdown javascript: image", make: (x) => `![xss](javascript:${x})` },
  { name: "Markdown image alt break-out", make: (x) => `![xss" onerror="${x}" data-xss="](x)` },
  { name: "Markdown link title break-out", make: (x) => `[xss](x "t\\" onmouseover=\\"${x}\\" data-xss=\\"")` },
  { name: "Markdown reference to javascript:", make: (x, _m, code) => `[xss][r${code}]\n\n[r${code}]: javascript:${x}`, multiline: true },
  { name: "Markdown autolink javascript:", make: (x) => `<javascript:${x}>` },
  { name: "Markdown javascript: link with title", make: (x) => `[xss](javascript:${x} "title")` },
  // raw HTML (in Markdown it must be shown as text)
  { name: "raw a href=javascript:", make: (x, m) => `<a href="javascript:${x}" ${m}>xss</a>` },
  { name: "raw script", make: (x, m) => `<script ${m}>${x}</script>` },
  { name: "raw img onerror", make: (x, m) => `<img src=x onerror=${x} ${m}>` },
  { name: "raw svg onload", make: (x, m) => `<svg onload=${x} ${m}>` },
  { name: "raw iframe srcdoc", make: (x, m) => `<iframe ${m} srcdoc="&lt;img src=x onerror=${x}&gt;"></iframe>` },
  { name: "raw iframe javascript:", make: (x, m) => `<iframe ${m} src="javascript:${x}"></iframe>` },
  { name: "math mi xlink:href", make: (x, m) => `<math><mi xlink:href="javascript:${x}" ${m}>xss</mi></math>` },
  { name: "math maction", make: (x, m) => `<math><maction actiontype=statusline xlink:href=javascript:${x} ${m}>xss</maction></math>` },
  { name: "svg foreignObject img", make: (x, m) => `<svg><foreignObject><img src=x onerror=${x} ${m}></foreignObject></svg>` },
  { name: "svg style img (namespace confusion)", make: (x, m) => `<svg><style><img src=x onerror=${x} ${m}></style></svg>` },
  { name: "math style img (namespace confusion)", make: (x, m) => `<math><style><img src=x onerror=${x} ${m}></style></math>` },
  { name: "form/math/mglyph mXSS", make: (x, m) => `<form><math><mtext></form><form><mglyph><style></math><img src=x onerror=${x} ${m}>` },
  { name: "svg/p/style mXSS", make: (x, m) => `<svg></p><style><a id="</style><img src=x onerror=${x} ${m}>">` },
  { name: "math/table/svg/textarea mXSS", make: (x, m) => `<math><mtext><table><mglyph><svg><mtext><textarea><path id="</textarea><img src=x onerror=${x} ${m}>">` },
  { name: "raw div onmouseover", make: (x, m) => `<div ${m} onmouseover=${x}>hover</div>` },
  { name: "raw details ontoggle", make: (x, m) => `<details open ontoggle=${x} ${m}>` },
  { name: "raw object data:text/html", make: (x, m) => `<object ${m} data="data:text/html,&lt;script&gt;${x}&lt;/script&gt;"></object>` },
  { name: "raw embed javascript:", make: (x, m) => `<embed ${m} src="javascript:${x}">` },
  { name: "raw marquee onstart", make: (x, m) => `<marquee onstart=${x} ${m}>xss</marquee>` },
  { name: "raw body onload", make: (x, m) => `<body onload=${x} ${m}>` },
  { name: "raw input autofocus onfocus", make: (x, m) => `<input autofocus onfocus=${x} ${m}>` },
  { name: "raw select autofocus onfocus", make: (x, m) => `<select autofocus onfocus=${x} ${m}></select>` },
  { name: "raw video onerror", make: (x, m) => `<video src=x onerror=${x} ${m}></video>` },
  { name: "raw audio onerror", make: (x, m) => `<audio src=x onerror=${x} ${m}></audio>` },
  { name: "raw base href", make: (x, m) => `<base ${m} href="javascript:${x}//">` },
  { name: "raw meta refresh", make: (x, m) => `<meta ${m} http-equiv=refresh content="0;url=javascript:${x}">` },
  { name: "raw link stylesheet", make: (x, m) => `<link ${m} rel=stylesheet href="javascript:${x}">` },
  { name: "raw style @import", make: (x, m) => `<style ${m}>@import "javascript:${x}";</style>` },
  { name: "raw title", make: (_x, m) => `<title ${m}>XSS</title>` },
  { name: "raw textarea opening", make: (_x, m) => `<textarea ${m}>` },
  { name: "raw IMG upper case", make: (x, m) => `<IMG SRC=x ONERROR=${x} ${m}>` },
  { name: "raw svg animate href", make: (x, m) => `<svg><a ${m}><animate attributeName=href values=javascript:${x} /><text y=20>xss</text></a></svg>` },
  { name: "raw isindex", make: (x, m) => `<isindex type=image src=x onerror=${x} ${m}>` },
  { name: "raw keygen autofocus", make: (x, m) => `<keygen autofocus onfocus=${x} ${m}>` },
  { name: "raw img, unclosed tag", make: (x, m) => `<img src=x onerror=${x} ${m}` },
  { name: "raw svg with slashes", make: (x) => `<svg/data-xss/onload=${x}>` },
  { name: "raw img, entity-encoded handler", make: (x, m) => `<img src=x onerror="${x.replace(/\(/g, "&#40;").replace(/\)/g, "&#41;")}" ${m}>` },
  { name: "raw a, entity-encoded javascript:", make: (x, m) => `<a ${m} href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;${x}">xss</a>` },
  { name: "raw a, java&#x09;script:", make: (x, m) => `<a ${m} href="java&#x09;script:${x}">xss</a>` },
  { name: "nested script filter evasion", make: (x, m) => `<scr<script>ipt ${m}>${x}</scr</script>ipt>` },
  { name: "double open bracket script", make: (x, m) => `<<script ${m}>${x}//<</script>` },
  // Markdown blocks that hold markup
  { name: "fenced code with textarea break-out", make: (x, m) => "```html\n</textarea><script " + m + ">" + x + "</script>\n```", multiline: true },
  { name: "code span with textarea break-out", make: (x, m) => "`</textarea><img src=x onerror=" + x + " " + m + ">`" },
  { name: "HTML block around Markdown", make: (x, m) => `<div ${m}>\n\n<img src=x onerror=${x} ${m}>\n\n</div>`, multiline: true },
  // entity-, percent- and otherwise encoded variants
  { name: "entity-encoded script", make: (x, m) => `&lt;script ${m}&gt;${x}&lt;/script&gt;` },
  { name: "double-encoded img", make: (x, m) => `&amp;lt;img src=x onerror=${x} ${m}&amp;gt;` },
  { name: "hex entities img", make: (x, m) => `&#x3C;img src=x onerror=${x} ${m}&#x3E;` },
  { name: "entities without semicolons", make: (x, m) => `&#60img src=x onerror=${x} ${m}&#62` },
  { name: "full-width brackets", make: (x, m) => `＜script ${m}＞${x}＜/script＞` },
  { name: "percent-encoded script", make: (x, m) => `%3Cscript%20${m}%3E${x}%3C/script%3E` },
  { name: "JS hex escapes", make: (x, m) => `\\x3cscript ${m}\\x3e${x}\\x3c/script\\x3e` },
];

type Payload = { code: number; text: string };

/** The payloads for one field: `short` for fields of a few hundred characters at most,
 *  `oneLine` for fields that keep no line breaks. */
function payloads(field: number, o: { short?: boolean; oneLine?: boolean; forbid?: RegExp; max?: number } = {}): Payload[] {
  return TEMPLATES.map((t, i) => {
    const code = field * 1000 + i + 1;
    return { code, text: t.make(act(code, !!o.short), mark(code), code), multiline: !!t.multiline };
  })
    .filter((p) => !(o.oneLine && (p.multiline || /[\r\n]/.test(p.text))))
    .filter((p) => !(o.forbid && o.forbid.test(p.text)))
    .filter((p) => !(o.max && [...p.text].length > o.max))
    .map(({ code, text }) => ({ code, text }));
}

/** Payloads packed into values of at most `limit` characters: the first value starts with
 *  the textarea break-outs; all values together hold every payload that fits at all. */
function pack(list: Payload[], limit: number, sep: string): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  let len = 0;
  for (const { text } of list) {
    const n = text.length;
    if (n > limit) continue;
    if (cur.length && len + sep.length + n > limit) {
      out.push(cur);
      cur = [];
      len = 0;
    }
    len += (cur.length ? sep.length : 0) + n;
    cur.push(text);
  }
  if (cur.length) out.push(cur);
  return out;
}

const FIELDS: Record<number, string> = {
  1: "declaration text",
  2: "version message",
  3: "amendment's proposed text",
  4: "amendment title",
  5: "amendment rationale",
  6: "second amendment's title",
  7: "second amendment's rationale",
  8: "rejection reason",
  12: "session title",
  13: "session description",
  14: "session chairs",
  15: "session speakers",
  16: "session region",
  17: "room name",
  18: "release changelog",
  19: "registration needs",
  20: "delegation name",
  21: "delegation country",
  22: "delegation lead organisation",
  23: "second delegation's name",
  24: "second delegation's lead organisation",
  25: "person's name (sign-up)",
  27: "nominee's name",
  28: "second nominee's name",
  29: "programme search (reflected)",
  30: "programme time zone (reflected)",
};
const fieldName = (f: number) => FIELDS[f] ?? (f === 40 ? "comment" : `field ${f}`);

/** "session title · #2 textarea → img onerror" for a code pushed by a payload that ran. */
function explain(ran: unknown): string[] {
  if (ran === undefined || ran === null) return [];
  const codes = Array.isArray(ran) ? ran : [ran];
  return codes.map((c) => {
    const n = Number(c);
    if (!Number.isInteger(n)) return `window.__xss = ${String(c)}`;
    return `${fieldName(Math.floor(n / 1000))} · #${n % 1000} ${TEMPLATES[(n % 1000) - 1]?.name ?? "?"}`;
  });
}

const oneSpace = (s: string) => s.split(/\s+/).filter(Boolean).join(" ");

// ---------------------------------------------------------------------------------------------
// pages, people and checks

type Who = { role: string; page: Page; dialogs: string[]; errors: string[] };
const opened: Page[] = [];

async function open(browser: Browser, role: string, login?: [string, string]): Promise<Who> {
  const page = await (await browser.newContext()).newPage();
  opened.push(page);
  const who: Who = { role, page, dialogs: [], errors: [] };
  page.on("dialog", (d) => {
    who.dialogs.push(`${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  page.on("pageerror", (e) => who.errors.push(e.message));
  if (login) {
    const out = page.getByRole("link", { name: "Log out" }).or(page.getByRole("button", { name: "Log out" }));
    const alert = page.getByRole("alert").filter({ hasText: /wait \d+ seconds|busy/i });
    for (let attempt = 0; ; attempt++) {
      await logIn(page, login[0], login[1]);
      await expect(out.or(alert).first()).toBeVisible();
      if (await out.isVisible()) break;
      // the server limits log-ins per client address: wait as long as it says, once
      expect(attempt, `logging in as ${login[0]}: ${await alert.textContent()}`).toBe(0);
      const wait = Number((await alert.textContent())?.match(/wait (\d+) seconds/)?.[1] ?? 5);
      await page.waitForTimeout(Math.min(wait, 65) * 1000);
    }
  }
  return who;
}

/** Calls the server function behind the form labelled `form` on the current page, as the
 *  form would (its hidden fields included), with `fields` in place of what it holds. */
async function submit(page: Page, form: string, fields: Record<string, string>): Promise<any> {
  for (let attempt = 0; ; attempt++) {
    const r = await page.evaluate(
      async ({ form, fields }) => {
        const el = document.querySelector(`form[aria-label="${form}"]`) as HTMLFormElement | null;
        if (!el) return { status: 0, body: `no form “${form}” on ${location.pathname}`, retry: 0 };
        const data = new URLSearchParams();
        for (const [k, v] of new FormData(el)) if (!(k in fields) && typeof v === "string") data.append(k, v);
        for (const [k, v] of Object.entries(fields)) data.append(k, v);
        const res = await fetch(el.getAttribute("action")!, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
          body: data.toString(),
          credentials: "same-origin",
        });
        return { status: res.status, body: await res.text(), retry: Number(res.headers.get("retry-after") ?? 0) };
      },
      { form, fields },
    );
    // over a limit (sign-ups per client address) or busy (password hashing): wait as told
    if ((r.status === 429 || r.status === 503) && attempt < 2 && r.retry <= 130) {
      await page.waitForTimeout(Math.max(r.retry, 1) * 1000);
      continue;
    }
    expect(r.status, `“${form}” on ${new URL(page.url()).pathname}: ${r.body.slice(0, 400)}`).toBe(200);
    return r.body ? JSON.parse(r.body) : null;
  }
}

/** Everything on the page that only a payload would have put there. */
async function inspect(page: Page) {
  return page.evaluate(() => {
    const found: string[] = [];
    const urlAttrs = ["href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "values", "to"];
    for (const el of Array.from(document.querySelectorAll("*"))) {
      const tag = el.tagName.toLowerCase();
      const id = el.getAttribute("id") ?? "";
      if (el.hasAttribute("data-xss") || id.startsWith("xss-")) found.push(`<${tag}${id ? ` id=${id}` : ""}> carrying a payload's marker`);
      for (const a of Array.from(el.attributes)) {
        const n = a.name.toLowerCase();
        if (n.startsWith("on") && /xss/i.test(a.value)) found.push(`<${tag} ${n}=…> (a payload's event handler)`);
        if (n === "srcdoc") found.push(`<${tag} srcdoc>`);
        if (urlAttrs.includes(n)) {
          let protocol = "";
          try {
            protocol = new URL(a.value, document.baseURI).protocol;
          } catch {
            continue;
          }
          if (protocol === "javascript:" || protocol === "vbscript:" || (protocol === "data:" && ["a", "iframe", "object", "embed", "form", "button", "input", "frame"].includes(tag))) {
            found.push(`<${tag} ${n}="${a.value.slice(0, 50)}…">`);
          }
        }
      }
      if (["iframe", "frame", "frameset", "object", "embed", "applet", "base", "plaintext", "xmp"].includes(tag)) found.push(`<${tag}>`);
      if (tag === "meta" && el.hasAttribute("http-equiv")) found.push("<meta http-equiv>");
    }
    const ran = (window as any).__xss;
    return {
      found: [...new Set(found)],
      ran: ran === undefined ? undefined : Array.isArray(ran) ? ran.map(Number) : String(ran),
      title: document.title,
    };
  });
}

let visited = 0;

/** Opens `path` as `who` and finds no trace of any payload; `then` checks more on the page. */
async function check(who: Who, path: string, then?: (page: Page, label: string) => Promise<void>) {
  const { page } = who;
  const label = `${who.role} at ${path.length > 90 ? path.slice(0, 90) + "…" : path}`;
  const [dialogs, errors] = [who.dialogs.length, who.errors.length];
  await page.goto(path);
  await expect.soft(page.locator("body"), `${label}: the page hydrates`).toHaveAttribute("data-hydrated", "true", { timeout: 15_000 });
  await page.waitForTimeout(SETTLE_MS);
  await verdict(who, label, dialogs, errors);
  if (then) await then(page, label);
  visited++;
}

async function verdict(who: Who, label: string, dialogs: number, errors: number) {
  const r = await inspect(who.page);
  expect.soft(explain(r.ran), `${label}: no payload ran`).toEqual([]);
  expect.soft(r.found, `${label}: no element was injected`).toEqual([]);
  expect.soft(r.title, `${label}: no payload set the title`).not.toBe("XSS");
  expect.soft(who.dialogs.slice(dialogs), `${label}: no dialog opened`).toEqual([]);
  const newErrors = who.errors.slice(errors);
  if (newErrors.length) test.info().annotations.push({ type: "page error", description: `${label}: ${newErrors.join(" | ")}` });
}

/** The textarea (or input) `selector` holds every one of `expected`, character for character. */
async function holds(page: Page, label: string, selector: string, expected: string[], normalise = (s: string) => s) {
  const value = await page.locator(selector).first().inputValue({ timeout: 5_000 }).catch(() => null);
  expect.soft(value, `${label}: ${selector} is on the page`).not.toBeNull();
  if (value === null) return;
  const have = normalise(value);
  const missing = expected.filter((p) => !have.includes(normalise(p)));
  expect.soft(missing, `${label}: ${selector} holds every payload exactly as written`).toEqual([]);
}

// ---------------------------------------------------------------------------------------------

test("no payload in any field runs or injects markup, on any page, for any role", async ({ browser }, info) => {
  test.skip(info.project.name !== PROJECT, `runs once per server, in the "${PROJECT}" project (set XSS_PROJECT to change it)`);
  test.setTimeout(300_000);
  expect(TEMPLATES.length).toBeGreaterThanOrEqual(100);
  expect(new Set(TEMPLATES.map((t) => t.make("X", "M", 1))).size, "the payloads are distinct").toBe(TEMPLATES.length);
  const stamp = Date.now().toString(36);

  // What goes where. A one-line field gets as many (short) payloads as fit: a textarea and
  // both attribute break-outs first, then the other textarea break-outs and the rest, with
  // spaces as the server keeps them (names and session titles collapse runs of white space).
  const first = ["textarea → script", 'attribute "> img', "attribute '> svg"].map((n) => TEMPLATES.findIndex((t) => t.name === n));
  const rank = (code: number) => {
    const i = first.indexOf((code % 1000) - 1);
    return i >= 0 ? i : first.length + (code % 1000);
  };
  const single = (field: number, limit: number) => {
    const chosen: string[] = [];
    let len = -1;
    for (const { text } of payloads(field, { short: true, oneLine: true }).sort((a, b) => rank(a.code) - rank(b.code))) {
      const t = oneSpace(text);
      if (len + 1 + t.length <= limit) {
        chosen.push(t);
        len += 1 + t.length;
      }
    }
    return chosen.join(" ");
  };
  const declaration = payloads(1).map((p) => p.text);
  const amendText = payloads(3).map((p) => p.text);
  const amendTitle = single(4, 200);
  const rationale = pack(payloads(5), 9_000, "\n\n")[0];
  const titleB = single(6, 200);
  const rationaleB = pack(payloads(7), 9_000, "\n\n")[0];
  const reason = pack(payloads(8), 9_000, "\n\n")[0];
  const comments = pack(payloads(40), 9_000, "\n\n");
  const message = single(2, 480);
  const sessionTitle = single(12, 190);
  const description = payloads(13).map((p) => p.text);
  // one name per line; commas and semicolons also separate names; at most 40 names of 120
  const names = (field: number) => payloads(field, { short: true, oneLine: true, forbid: /[,;]/, max: 115 }).map((p) => oneSpace(p.text));
  const chairs = names(14).slice(0, 40);
  const speakers = names(15).slice(40, 80);
  const region = single(16, 115);
  const room = `${single(17, 108)} ${stamp}`;
  const changelog = single(18, 1_900);
  const needs = single(19, 1_900);
  const delegationA = `${single(20, 110)} ${stamp}`;
  const countryA = single(21, 78);
  const leadA = single(22, 155);
  const delegationB = `${single(23, 110)} ${stamp}`;
  const leadB = single(24, 155);
  const person = single(25, 118);
  const nominee1 = single(27, 118);
  const nominee2 = single(28, 118);
  const query = single(29, 1_500);
  const tz = single(30, 300);
  const email = (who: string) => `xss-${who}-${stamp}@example.org`;

  const committee = await open(browser, "committee", ["committee@example.org", "demo-committee"]);
  const organiser = await open(browser, "organiser", ["organiser@example.org", "demo-organiser"]);
  const head = await open(browser, "head of delegation", ["trine@example.org", "demo-delegate"]);
  const delegate = await open(browser, "delegate", ["niels@example.org", "demo-delegate"]);
  const visitor = await open(browser, "visitor");

  // ----- putting the payloads in

  // someone signs up with a name that is payloads (and stays unconfirmed: no outbox needed)
  await visitor.page.goto("/signup");
  await submit(visitor.page, "Create an account", { name: person, email: email("p"), password: "a-long-enough-password" });

  // the organiser adds two delegations, the first headed by them
  await organiser.page.goto(`${C}/registrations`);
  await submit(organiser.page, "Add a delegation", {
    name: delegationA, kind: "member_state", country: countryA, region: "Europe and North America", lead_organisation: leadA, head_email: email("p"),
  });
  await submit(organiser.page, "Add a delegation", {
    name: delegationB, kind: "organisation", country: "", region: "", lead_organisation: leadB, head_email: "",
  });

  // a room and a regional forum in it, tagged with a Key Feature, and a release
  await organiser.page.goto(`${C}/programme/manage`);
  const roomId = (await submit(organiser.page, "Add a room", { name: room, capacity: "40" })).id;
  await organiser.page.goto(`${C}/programme/sessions/new`);
  const sessionId: number = (
    await submit(organiser.page, "Session", {
      kind: "regional_forum", title: sessionTitle, description: description.join("\n\n"), room_id: String(roomId),
      start: "2015-09-30T19:00", end: "2015-09-30T20:00", capacity: "", region, chairs: chairs.join("\n"), speakers: speakers.join("\n"),
      "key_features[0]": "F1", acknowledge: "on",
    })
  ).id;
  await organiser.page.goto(`${C}/programme/manage`);
  await submit(organiser.page, "Release the programme", { changelog });

  // the committee adds paragraphs of payloads at the end of the draft, keeping the rest
  await committee.page.goto(`${C}/declaration/edit`);
  const draft = await committee.page.locator("#edit-markdown").inputValue();
  const newDraft = `${draft.trimEnd()}\n\nMarkup in these paragraphs stays text (${stamp}).\n\n${declaration.join("\n\n")}\n`;
  const saved = await submit(committee.page, "Edit the declaration", { markdown: newDraft, message });
  expect(saved.conflict ?? null, "the committee's edit saves without a conflict").toBeNull();

  // the committee member registers as an observer with the first delegation, with needs;
  // the organiser accredits them, so the public participant list names that delegation
  await committee.page.goto(`${C}/register`);
  const delegationId = await committee.page
    .locator("#reg-delegation option")
    .filter({ hasText: stamp })
    .evaluateAll((os, name) => (os as HTMLOptionElement[]).find((o) => o.textContent === name)?.value ?? null, delegationA);
  expect(delegationId, "the new delegation is offered by its exact name").not.toBeNull();
  await submit(committee.page, "Registration", { category: "observer", delegation_id: delegationId!, needs, consent_listed: "on" });
  await organiser.page.goto(`${C}/registrations?status=pending`);
  await hydrated(organiser.page);
  await organiser.page.getByRole("checkbox", { name: "Choose Kwame Mensah" }).check();
  await organiser.page.getByLabel("Decision").selectOption({ label: "Accredit" });
  await organiser.page.getByRole("button", { name: "Apply to the chosen registrations" }).click();
  await expect(organiser.page.getByRole("status").filter({ hasText: "1 registration accredited." })).toBeVisible();

  // the head of the Danish delegation nominates two advisers with payload names
  await head.page.goto(`${C}/delegation`);
  await submit(head.page, "Nominate a member", { name: nominee1, email: email("n1"), member_role: "adviser" });
  await submit(head.page, "Nominate a member", { name: nominee2, email: email("n2"), member_role: "adviser" });

  // and proposes two amendments: the first adds paragraphs of payloads, the second is rejected
  // (written against the text as saved; what the form's textarea shows is checked below)
  await head.page.goto(`${C}/amendments/new`);
  const current = newDraft;
  const amendmentA: number = await submit(head.page, "Propose an amendment", {
    title: amendTitle,
    rationale: rationale.join("\n\n"),
    proposed_markdown: `${current.trimEnd()}\n\nThe amendment's own markup stays text too (${stamp}).\n\n${amendText.join("\n\n")}\n`,
    submit: "on",
  });
  // a new form for the second proposal: one form's key stands for one write (the same form
  // sent again is taken for a retry and answered with the first amendment)
  await head.page.goto(`${C}/amendments/new`);
  const amendmentB: number = await submit(head.page, "Propose an amendment", {
    title: titleB,
    rationale: rationaleB.join("\n\n"),
    proposed_markdown: `${current.trimEnd()}\n\nA short addition to be rejected (${stamp}).\n`,
    submit: "on",
  });

  // a delegate comments on the first; the committee rejects the second with a reason
  for (const body of comments) {
    await delegate.page.goto(`${C}/amendments/${amendmentA}`);
    await submit(delegate.page, "Comment on the amendment", { body: body.join("\n\n") });
  }
  expect(amendmentB, "two proposals, two amendments").not.toBe(amendmentA);
  await committee.page.goto(`${C}/amendments/${amendmentB}`);
  await submit(committee.page, "Reject the amendment", { reason: reason.join("\n\n") });

  const stored = TEMPLATES.length;
  info.annotations.push({ type: "payloads", description: `${stored} distinct payloads` });

  // ----- every page that shows them, as every role (the roles in parallel)

  const A = `${C}/amendments/${amendmentA}`;
  const B = `${C}/amendments/${amendmentB}`;
  const S = `${C}/sessions/${sessionId}`;

  const asVisitor = async () => {
    for (const path of [`${C}/programme`, `${C}/programme?view=grid`, S, `${C}/programme/changes`, `${C}/participants`, `${C}/key-features`]) {
      await check(visitor, path);
    }
    // reflected: the search words and the time zone come back in the page
    await check(visitor, `${C}/programme?q=${encodeURIComponent(query)}&tz=${encodeURIComponent(tz)}&view=list`);
  };

  const asDelegate = async () => {
    for (const path of [`${C}/declaration`, `${C}/declaration/versions`, `${C}/declaration/compare`, `${C}/declaration/provenance`, `${C}/amendments`, A, B, S, `${C}/participants`]) {
      await check(delegate, path);
    }
    await check(delegate, `${C}/amendments/new`, (page, label) => holds(page, label, "#propose-text", declaration));
    // the compilation (the draft with the pending amendments inline), a download of HTML:
    // opened as a page of its own, nothing in it runs either
    const res = await delegate.page.request.get(`${C}/declaration/compilation.html`);
    expect.soft(res.status(), "the compilation downloads").toBe(200);
    const html = await res.text();
    expect.soft(html, "the compilation holds the amendment's paragraphs").toContain(`own markup stays text too (${stamp})`);
    const sandbox = await open(browser, "delegate's download");
    await sandbox.page.setContent(html, { waitUntil: "load" });
    await sandbox.page.waitForTimeout(SETTLE_MS);
    await verdict(sandbox, "compilation.html opened in the browser", 0, 0);
    visited++;
  };

  const asHead = async () => {
    await check(head, A, async (page, label) => {
      // the sponsor's "Edit this amendment" form starts from exactly what was written
      expect.soft(await page.locator("#f-title").inputValue({ timeout: 5_000 }).catch(() => null), `${label}: the title field holds the title`).toBe(amendTitle);
      await holds(page, label, "#update-rationale", rationale);
      await holds(page, label, "#update-text", [...declaration, ...amendText]);
    });
    for (const path of [`${C}/amendments`, B, `${C}/delegation`]) await check(head, path);
    await check(head, `${C}/amendments/new`, (page, label) => holds(page, label, "#propose-text", declaration));
  };

  const asCommittee = async () => {
    await check(committee, `${C}/declaration/edit`, (page, label) => holds(page, label, "#edit-markdown", declaration));
    await check(committee, A, (page, label) => holds(page, label, "#modify-text", [...declaration, ...amendText]));
    for (const path of [B, `${C}/amendments`, `${C}/declaration/versions`, `${C}/declaration/provenance`, `${C}/declaration/compare`, `${C}/register`]) {
      await check(committee, path);
    }
  };

  const asOrganiser = async () => {
    await check(organiser, `${C}/programme/sessions/${sessionId}/edit`, async (page, label) => {
      expect.soft(await page.locator("#f-title").inputValue({ timeout: 5_000 }).catch(() => null), `${label}: the title field holds the title`).toBe(sessionTitle);
      expect.soft(await page.locator("#f-region").inputValue({ timeout: 5_000 }).catch(() => null), `${label}: the region field holds the region`).toBe(region);
      await holds(page, label, "#f-description", description);
      await holds(page, label, "#f-chairs", chairs, oneSpace);
      await holds(page, label, "#f-speakers", speakers, oneSpace);
    });
    for (const path of [
      `${C}/programme/manage`, `${C}/programme/clashes`, `${C}/programme/changes`, `${C}/programme`, S,
      `${C}/registrations`, `${C}/people`, `${C}/register`, "/outbox", A, `${C}/declaration/adopt`,
    ]) {
      await check(organiser, path);
    }
  };

  await Promise.all([asVisitor(), asDelegate(), asHead(), asCommittee(), asOrganiser()]);
  info.annotations.push({ type: "pages", description: `${visited} pages checked` });
  for (const page of opened.splice(0)) await page.context().close();
});
