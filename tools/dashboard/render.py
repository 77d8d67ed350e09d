#!/usr/bin/env python3
"""Draws config/grafana/dino-dashboard.json's layout (panel titles, units and queries on Grafana's
24-column grid) as an HTML page and, with headless Chromium, as a PNG: a look at the dashboard
without a Grafana. Usage: tools/dashboard/render.py [OUT_DIR]  (default: target/dashboard)."""
import html
import json
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "dashboard"))
COL, ROW = 56, 30  # pixels per grid column and grid row

dashboard = json.load(open(os.path.join(ROOT, "config", "grafana", "dino-dashboard.json")))
boxes = []
bottom = 0
for panel in dashboard["panels"]:
    g = panel["gridPos"]
    bottom = max(bottom, g["y"] + g["h"])
    style = f'left:{g["x"] * COL}px;top:{g["y"] * ROW}px;width:{g["w"] * COL - 8}px;height:{g["h"] * ROW - 8}px'
    if panel["type"] == "row":
        boxes.append(f'<div class="row" style="{style}">{html.escape(panel["title"])}</div>')
        continue
    unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit", "")
    queries = "".join(f'<li><b>{html.escape(t["refId"])}</b> {html.escape(t["expr"])}</li>' for t in panel["targets"])
    boxes.append(f'<div class="panel" style="{style}"><h3>{html.escape(panel["title"])} <small>{html.escape(unit)}</small></h3>'
                 f'<ul>{queries}</ul></div>')
page = f"""<!doctype html><meta charset="utf-8"><title>{html.escape(dashboard["title"])}</title>
<style>
body {{ background:#111217; color:#ccccdc; font:12px sans-serif; margin:16px }}
h1 {{ font-size:18px }} .grid {{ position:relative; height:{bottom * ROW}px; width:{24 * COL}px }}
.panel,.row {{ position:absolute; box-sizing:border-box; overflow:hidden }}
.panel {{ background:#181b1f; border:1px solid #2c3235; border-radius:2px; padding:6px }}
.row {{ font-size:14px; font-weight:bold; padding-top:4px }}
h3 {{ margin:0 0 4px; font-size:13px; color:#fff }} small {{ color:#8e8e8e; font-weight:normal }}
ul {{ margin:0; padding-left:14px; word-break:break-all; font-family:monospace; font-size:10px; color:#6e9fff }} li {{ margin-bottom:3px }}
</style><h1>{html.escape(dashboard["title"])} — layout of config/grafana/dino-dashboard.json</h1>
<div class="grid">{"".join(boxes)}</div>"""
os.makedirs(OUT, exist_ok=True)
page_path = os.path.join(OUT, "dino-dashboard.html")
with open(page_path, "w") as out:
    out.write(page)
print(page_path)
chromium = shutil.which("chromium") or shutil.which("chromium-browser")
if chromium:
    png = os.path.join(OUT, "dino-dashboard.png")
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--window-size={24 * COL + 40},{bottom * ROW + 90}", f"--screenshot={png}", "file://" + page_path],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(png)
