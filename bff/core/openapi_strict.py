"""OpenAPI that says what the server enforces: a struct that refuses unknown fields
(`forbid_unknown_fields=True`) is published with `additionalProperties: false`.

Litestar's own msgspec schema plugin leaves that out, so a schema-valid body with an extra
field would be refused (400): the schema would not tell the truth.
"""

from __future__ import annotations

from litestar._openapi.schema_generation.plugins.struct import StructSchemaPlugin
from litestar._openapi.schema_generation.schema import SchemaCreator
from litestar.openapi.spec import Reference, Schema
from litestar.typing import FieldDefinition


class StrictStructSchemaPlugin(StructSchemaPlugin):
    def to_openapi_schema(
        self, field_definition: FieldDefinition, schema_creator: SchemaCreator
    ) -> Schema:
        schema = super().to_openapi_schema(field_definition, schema_creator)
        config = getattr(field_definition.type_, "__struct_config__", None)
        if config is not None and config.forbid_unknown_fields:
            target = schema
            if isinstance(schema, Reference):
                target = schema_creator.schema_registry.from_reference(schema).schema
            target.additional_properties = False
        return schema
