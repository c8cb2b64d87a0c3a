// The app icons (static-site/assets/icons/*.png) drawn from the SVG ones by Chromium, once, when
// the SVGs change: node_modules/.bin/node scripts/icons.mjs
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
const dir = new URL("../static-site/assets", import.meta.url).pathname;
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox"] });
for (const [source, size, name] of [["favicon.svg", 192, "icon-192.png"], ["favicon.svg", 512, "icon-512.png"], ["icons/maskable.svg", 512, "maskable-512.png"], ["favicon.svg", 180, "apple-touch-icon.png"]]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const svg = readFileSync(`${dir}/${source}`, "utf8").replace("<svg ", `<svg width="${size}" height="${size}" `);
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.screenshot({ path: `${dir}/icons/${name}`, omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  await page.close();
}
await browser.close();
