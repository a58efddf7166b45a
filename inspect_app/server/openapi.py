"""Print the HQ OpenAPI document (committed as docs/openapi.json):
``python -m inspect_app.server.openapi > docs/openapi.json``."""

import json
import tempfile
from pathlib import Path

from inspect_app.server.app import Settings, create_app


def openapi_json() -> str:
    with tempfile.TemporaryDirectory() as data:
        app = create_app(Settings(data_dir=Path(data)))
        document = app.openapi()
        app.state.hq.engine.dispose()
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(openapi_json(), end="")
