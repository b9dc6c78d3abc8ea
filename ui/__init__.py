"""The web chat UI (Gradio). Only this package imports Gradio; it calls the graph the core builds."""
