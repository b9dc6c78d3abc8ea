"""The page's look: a Gradio theme (system fonts only, so the page loads nothing from the network)
and the CSS for the panels ``ui/render.py`` writes."""

from __future__ import annotations

import gradio as gr

COGNAC = gr.themes.Color(
    name="cognac",
    c50="#fbf5f0", c100="#f4e7dc", c200="#e8cdb6", c300="#d9ad8a", c400="#c48a5f",
    c500="#a8683d", c600="#8f5432", c700="#74432a", c800="#5b3622", c900="#462a1b", c950="#2c1a10",
)

FONT = ["Inter", "Segoe UI", "Helvetica Neue", "Arial", "system-ui", "sans-serif"]
MONO = ["JetBrains Mono", "SFMono-Regular", "Menlo", "Consolas", "monospace"]


def theme() -> gr.themes.Base:
    return gr.themes.Base(
        primary_hue=COGNAC, secondary_hue=gr.themes.colors.stone, neutral_hue=gr.themes.colors.stone,
        radius_size=gr.themes.sizes.radius_md, font=FONT, font_mono=MONO,
    ).set(
        body_background_fill="#f6f3ee",
        block_background_fill="#ffffff",
        block_border_color="#e7e1d8",
        block_shadow="none",
        block_label_text_color="#6f675e",
        button_primary_background_fill="#2b2622",
        button_primary_background_fill_hover="#473f39",
        button_primary_text_color="#ffffff",
        button_secondary_background_fill="#ffffff",
        button_secondary_border_color="#d9d1c6",
        input_background_fill="#ffffff",
        button_border_width="1px",
        button_secondary_background_fill_hover="#f6f3ee",
        button_secondary_text_color="#2b2622",
        button_large_radius="10px",
        button_small_radius="8px",
    )


CSS = """
.gradio-container { max-width: 100% !important; padding: 6px 18px 10px !important; }
.gradio-container > .main, .gradio-container .contain { gap: 10px !important; }
.gradio-container .main { padding-top: 0 !important; }
#mv-header { padding: 0 !important; margin: 0 !important; min-height: 0 !important; }
footer { display: none !important; }

/* header */
.mv-header { display: flex; align-items: center; justify-content: space-between; padding: 2px 2px 0; }
.mv-brandmark { display: flex; align-items: center; gap: 11px; }
.mv-logo { width: 34px; height: 34px; border-radius: 9px; background: #2b2622; color: #f4e7dc;
  display: flex; align-items: center; justify-content: center; font: 600 19px Georgia, serif; }
.mv-name { font: 600 19px/1.1 Georgia, 'Times New Roman', serif; letter-spacing: .3px; color: #1d1b19; }
.mv-tagline { font-size: 11px; color: #8a8178; text-transform: uppercase; letter-spacing: 1.2px; }
.mv-header-right { display: flex; align-items: center; gap: 16px; }
.mv-mode { display: inline-flex; align-items: center; gap: 7px; padding: 4px 12px; border-radius: 999px;
  font-size: 13px; font-weight: 500; border: 1px solid; }
.mv-mode-offline { color: #3b5b92; border-color: #c8d3e6; background: #f1f5fb; }
.mv-mode-llm { color: #2f7a4f; border-color: #bcdcc8; background: #eff8f2; }
.mv-dot { width: 8px; height: 8px; border-radius: 50%; background: currentColor; }
.mv-convo { display: flex; flex-direction: column; align-items: flex-end; font-size: 12px; color: #6f675e; }
.mv-convo code { font-size: 13px; color: #1d1b19; background: #efe9e1; padding: 1px 7px; border-radius: 6px;
  user-select: all; margin-left: 4px; }
.mv-convo-sub { font-size: 11.5px; color: #8a8178; margin-top: 2px; }

/* toolbar */
#mv-toolbar { align-items: center; gap: 10px; background: #fff; border: 1px solid #e7e1d8;
  border-radius: 12px; padding: 7px 10px; }
#mv-toolbar > * { align-self: center; }
#mv-toolbar input { font-size: 14px; }
#mv-draft-mode { padding: 0 4px; }
#mv-draft-mode label { font-size: 14px; white-space: nowrap; }

/* panes */
#mv-panes { gap: 12px; }
.mv-pane { background: #fff; border: 1px solid #e7e1d8 !important; border-radius: 14px !important;
  padding: 12px !important; gap: 8px !important; }
.mv-scroll { max-height: calc(100vh - 140px); overflow-y: auto; flex-wrap: nowrap !important; }
.mv-pane-title { font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: 1.1px;
  color: #8a8178; margin: 2px 2px 0; }
#mv-chat { border: none !important; }
#mv-chat .message-row .message { font-size: 14.5px; line-height: 1.5; }
#mv-chat .user-row .message { background: #f4e7dc !important; border-color: #e8cdb6 !important; }
#mv-chat .bot-row .message { background: #f8f6f2 !important; border-color: #efe9e1 !important; }
#mv-message textarea { font-size: 15px; }
#mv-status:empty { display: none; }
#mv-chat button[aria-label="Clear"] { display: none; }

/* notices */
.mv-notice { display: flex; gap: 10px; align-items: flex-start; padding: 9px 12px; border-radius: 10px;
  font-size: 13.5px; line-height: 1.45; }
.mv-notice-icon { flex: none; width: 18px; height: 18px; border-radius: 50%; color: #fff; font-weight: 700;
  font-size: 12px; display: flex; align-items: center; justify-content: center; margin-top: 1px; }
.mv-notice-error { background: #fbecea; color: #7c2519; border: 1px solid #efc6bf; }
.mv-notice-error .mv-notice-icon { background: #b3412f; }
.mv-notice-warning { background: #fdf5e3; color: #6d4a0c; border: 1px solid #f0dca9; }
.mv-notice-warning .mv-notice-icon { background: #b7791f; }
.mv-notice-info { background: #f1f5fb; color: #2c4571; border: 1px solid #d3ddee; }
.mv-notice-info .mv-notice-icon { background: #3b5b92; }

/* suggestions */
.mv-turn { display: flex; align-items: center; justify-content: space-between; gap: 8px; margin: 2px 2px 0;
  flex-wrap: wrap; }
.mv-turn-label { font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: 1.1px; color: #8a8178; }
.mv-check { font-size: 12px; padding: 3px 9px; border-radius: 999px; max-width: 100%; overflow: hidden;
  text-overflow: ellipsis; white-space: nowrap; }
.mv-check-ok { color: #2f7a4f; background: #eff8f2; }
.mv-check-revised { color: #6d4a0c; background: #fdf5e3; }
.mv-check-failed { color: #7c2519; background: #fbecea; }
.mv-cards-empty, .mv-empty { color: #8a8178; font-size: 13.5px; line-height: 1.5; padding: 4px 2px; }
.mv-slot { border: 1px solid #e7e1d8 !important; border-radius: 12px !important; background: #fff !important;
  overflow: hidden; gap: 0 !important; flex: none !important; }
.mv-slot:hover { border-color: #d9ad8a !important; }
.mv-card { padding: 11px 13px 4px; }
.mv-card-top { display: flex; gap: 10px; align-items: flex-start; }
.mv-rank { flex: none; width: 22px; height: 22px; border-radius: 50%; background: #2b2622; color: #fff;
  font-size: 12px; font-weight: 600; display: flex; align-items: center; justify-content: center; margin-top: 1px; }
.mv-card-heading { flex: 1; min-width: 0; }
.mv-card-title { font: 600 15.5px/1.3 Georgia, 'Times New Roman', serif; color: #1d1b19; }
.mv-card-brand { font-size: 12.5px; color: #6f675e; margin-top: 1px; }
.mv-sku { font-family: ui-monospace, monospace; font-size: 11px; color: #a39a90; margin-left: 8px; }
.mv-price { font-size: 16px; font-weight: 600; color: #1d1b19; white-space: nowrap; }
.mv-card-meta { display: flex; gap: 8px; align-items: center; margin: 6px 0 6px 32px; font-size: 12px;
  color: #6f675e; min-width: 0; }
.mv-details { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; }
.mv-avail { padding: 2px 8px; border-radius: 999px; font-weight: 500; flex: none; }
.mv-avail-in_stock { color: #2f7a4f; background: #eff8f2; }
.mv-avail-low_stock { color: #8a5a0b; background: #fdf5e3; }
.mv-avail-out_of_stock { color: #7c2519; background: #fbecea; }
.mv-avail-made_to_order { color: #3b5b92; background: #f1f5fb; }
.mv-card-state { font-weight: 600; flex: none; }
.mv-card-state.mv-liked { color: #a8683d; }
.mv-why { display: flex; gap: 8px; margin-left: 32px; font-size: 12.5px; line-height: 1.4; color: #3a3531; }
.mv-why-label { flex: none; font-size: 10.5px; text-transform: uppercase; letter-spacing: 1px; color: #a8683d;
  font-weight: 700; padding-top: 2px; width: 28px; }
.mv-why-body { display: flex; flex-direction: column; gap: 2px; min-width: 0; }
.mv-match-motive { color: #1d1b19; }
.mv-match-arrow { color: #a8683d; margin: 0 6px; font-weight: 700; }
.mv-match-trait { color: #6f675e; font-style: italic; }
.mv-card-actions { padding: 4px 12px 9px 45px !important; gap: 6px !important; align-items: center !important;
  flex-wrap: nowrap !important; }
.mv-card-actions input, .mv-card-actions textarea { font-size: 12.5px !important; padding: 4px 9px !important;
  border: 1px solid #e7e1d8 !important; border-radius: 8px !important; background: #fbfaf8 !important;
  min-height: 0 !important; height: 30px !important; }
.mv-like, .mv-reject { min-width: 0 !important; flex: none !important; font-size: 12.5px !important;
  padding: 4px 12px !important; height: 30px; }
.mv-like:hover { color: #a8683d !important; border-color: #d9ad8a !important; }
.mv-reject:hover { color: #b3412f !important; border-color: #efc6bf !important; background: #fbecea !important; }

/* belief panel */
.mv-belief { font-size: 13.5px; color: #1d1b19; }
.mv-client { display: flex; gap: 10px; align-items: center; padding: 8px 10px; margin-bottom: 10px;
  background: #fbf5f0; border-radius: 10px; }
.mv-client-initial { width: 32px; height: 32px; border-radius: 50%; background: #a8683d; color: #fff;
  display: flex; align-items: center; justify-content: center; font: 600 15px Georgia, serif; flex: none; }
.mv-client-name { font-weight: 600; }
.mv-client-sub { font-size: 12px; color: #6f675e; }
.mv-section { margin-bottom: 14px; }
.mv-section-title { display: flex; align-items: center; gap: 8px; font-size: 11.5px; font-weight: 600;
  text-transform: uppercase; letter-spacing: 1.1px; color: #8a8178; margin: 0 0 7px; }
.mv-count { background: #efe9e1; color: #4d4640; border-radius: 999px; padding: 1px 7px; font-size: 11px;
  letter-spacing: 0; }
.mv-motives, .mv-reactions { list-style: none; margin: 0; padding: 0; }
.mv-more-motives > summary { cursor: pointer; font-size: 13px; color: #6b7280; margin: 2px 0 6px; }
.mv-motive { padding: 7px 9px; border-radius: 9px; margin-bottom: 5px; border: 1px solid #efe9e1;
  border-left: 3px solid #e2d9ce; list-style: none; }
.mv-motive-head { display: flex; justify-content: space-between; gap: 8px; align-items: baseline; }
.mv-motive-text { font-weight: 500; line-height: 1.35; }
.mv-motive-meta { display: flex; align-items: center; gap: 8px; margin-top: 5px; }
.mv-conf { width: 64px; height: 5px; border-radius: 3px; background: #efe9e1; overflow: hidden; flex: none; }
.mv-conf-bar { display: block; height: 100%; background: #a8683d; border-radius: 3px; }
.mv-conf-num { font-size: 11.5px; color: #6f675e; width: 30px; }
.mv-source { font-size: 11px; padding: 1px 7px; border-radius: 999px; }
.mv-source-history { background: #f1f5fb; color: #3b5b92; }
.mv-source-conversation { background: #eff8f2; color: #2f7a4f; }
.mv-evidence { font-size: 12px; color: #6f675e; font-style: italic; margin-top: 3px; line-height: 1.35; }
.mv-evidence-turn { font-style: normal; color: #a39a90; margin-left: 6px; font-size: 11px; }
.mv-override { font-size: 12px; color: #8a5a0b; margin-top: 4px; }
.mv-overridden .mv-motive-text { color: #a39a90; text-decoration: line-through; }
.mv-changed { background: #fff8e1 !important; border-color: #f0dca9 !important; border-left-color: #d89b2b !important; }
.mv-tag { font-size: 10px; font-weight: 700; text-transform: uppercase; letter-spacing: .6px; padding: 1px 6px;
  border-radius: 5px; flex: none; }
.mv-tag-new { background: #d89b2b; color: #fff; }
.mv-tag-changed { background: #f0dca9; color: #6d4a0c; }
.mv-dropped { font-size: 12px; color: #a39a90; text-decoration: line-through; margin: 3px 2px; }
.mv-chips { display: flex; flex-wrap: wrap; gap: 6px; }
.mv-chip { font-size: 12.5px; padding: 3px 10px; border-radius: 999px; background: #f6f3ee;
  border: 1px solid #e7e1d8; }
.mv-chip-dropped { color: #a39a90; text-decoration: line-through; background: none; }
.mv-reaction { padding: 5px 8px 5px 28px; border-radius: 8px; border: 1px solid transparent; line-height: 1.35;
  list-style: none; position: relative; }
.mv-react-icon { position: absolute; left: 8px; width: 14px; text-align: center; font-weight: 700; }
.mv-rejected .mv-react-icon { color: #b3412f; }
.mv-liked .mv-react-icon { color: #a8683d; }
.mv-less .mv-react-icon { color: #6f675e; }
.mv-reason { color: #6f675e; font-style: italic; }
#mv-correct { border: 1px solid #e7e1d8 !important; border-radius: 10px !important; flex: none !important; }
#mv-correct > button { font-size: 13.5px; padding: 6px 10px; }

/* draft mode */
/* a draft waiting: the chat gives up height so the draft box and its button stay in view */
#mv-panes:has(#mv-draft) #mv-chat { height: calc(100vh - 720px) !important; min-height: 160px !important; }
.mv-spinner { display: inline-block; width: 14px; height: 14px; margin-right: 8px; border-radius: 50%;
  border: 2px solid #d6cfc4; border-top-color: #8a6d3b; animation: mv-spin 0.8s linear infinite; vertical-align: -2px; }
@keyframes mv-spin { to { transform: rotate(360deg); } }
.mv-trade { margin-top: 6px; font-size: 12.5px; color: #4b5563; }
.mv-trade > span { white-space: nowrap; }
.mv-tiers { margin-top: 4px; display: flex; flex-wrap: wrap; gap: 4px 10px; }
.mv-tiers-label { color: #6b7280; }
.mv-tier { background: #f3f4f6; border-radius: 6px; padding: 1px 6px; }
.mv-per { font-size: 11.5px; color: #6b7280; font-weight: 400; text-align: right; }
#mv-draft { border: 1px solid #f0dca9 !important; background: #fffbef !important; border-radius: 12px !important; }
#mv-draft textarea { background: #fffdf6 !important; font-size: 14.5px; }
"""
