"""A small chat web app for a local Ollama server.

A starting point to make your own: one route serves the page, one streams the model's answer
back as it is written. Ollama is reached by its service name on the stack's network
(OLLAMA_URL=http://ollama:11434), which is how containers of one stack find each other.
"""

import json
import os

import requests
from flask import Flask, Response, jsonify, render_template, request

OLLAMA_URL = os.environ.get("OLLAMA_URL", "http://localhost:11434").rstrip("/")
DEFAULT_MODEL = os.environ.get("OLLAMA_MODEL", "llama3.2:1b")

app = Flask(__name__)


def ndjson(obj):
    return json.dumps(obj) + "\n"


@app.get("/")
def index():
    return render_template("index.html", default_model=DEFAULT_MODEL, ollama_url=OLLAMA_URL)


@app.get("/healthz")
def healthz():
    return {"ok": True}


@app.get("/api/models")
def models():
    """The models Ollama has, so the page can offer them."""
    try:
        reply = requests.get(f"{OLLAMA_URL}/api/tags", timeout=5)
        reply.raise_for_status()
    except requests.RequestException as error:
        return jsonify(error=f"Ollama is not reachable at {OLLAMA_URL}: {error}"), 502
    names = [m["name"] for m in reply.json().get("models", [])]
    return jsonify(models=names, default=DEFAULT_MODEL)


@app.post("/api/pull")
def pull():
    """Downloads a model into Ollama, passing its progress lines on to the page."""
    model = (request.get_json(silent=True) or {}).get("model") or DEFAULT_MODEL

    def progress():
        try:
            with requests.post(
                f"{OLLAMA_URL}/api/pull", json={"model": model, "stream": True}, stream=True, timeout=(5, None)
            ) as reply:
                for line in reply.iter_lines():
                    if line:
                        yield line + b"\n"
        except requests.RequestException as error:
            yield ndjson({"error": f"Ollama is not reachable at {OLLAMA_URL}: {error}"})

    return Response(progress(), mimetype="application/x-ndjson")


@app.post("/api/chat")
def chat():
    """Sends the conversation to Ollama and streams the reply, one JSON line per piece."""
    body = request.get_json(silent=True) or {}
    messages = body.get("messages", [])
    model = body.get("model") or DEFAULT_MODEL

    def tokens():
        try:
            with requests.post(
                f"{OLLAMA_URL}/api/chat",
                json={"model": model, "messages": messages, "stream": True},
                stream=True,
                timeout=(5, 300),
            ) as reply:
                if reply.status_code != 200:
                    # Ollama answers errors as {"error": "..."}, e.g. a model that is not pulled yet.
                    try:
                        message = reply.json().get("error", reply.text)
                    except ValueError:
                        message = reply.text
                    yield ndjson({"error": message})
                    return
                for line in reply.iter_lines():
                    if not line:
                        continue
                    chunk = json.loads(line)
                    if "error" in chunk:
                        yield ndjson({"error": chunk["error"]})
                        return
                    token = chunk.get("message", {}).get("content", "")
                    if token:
                        yield ndjson({"token": token})
                    if chunk.get("done"):
                        yield ndjson({"done": True})
        except requests.RequestException as error:
            yield ndjson({"error": f"Ollama is not reachable at {OLLAMA_URL}: {error}"})

    return Response(tokens(), mimetype="application/x-ndjson")


if __name__ == "__main__":
    # `python app.py` for development; the container runs gunicorn (see the Containerfile).
    app.run(host="0.0.0.0", port=5000, debug=True, threaded=True)
