"""Prints the BFF's OpenAPI document (JSON) as the app builds it, without a server.

For webapp/scripts/api-types.mjs, which turns it into TypeScript. The development stack's
settings (BV_DEMO) with a throw-away data folder: the schema does not depend on them.
"""

import sys
import tempfile

import msgspec

from bff.app import create_app
from bff.core.settings import load_settings


def main() -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        settings = load_settings({"BV_DEMO": "1", "BV_DATA_DIR": data_dir})
        schema = create_app(settings).openapi_schema.to_schema()
    sys.stdout.buffer.write(msgspec.json.format(msgspec.json.encode(schema), indent=2) + b"\n")


if __name__ == "__main__":
    main()
