"""The server's OpenAPI document, generated from the same method list as the routes and the
client, so what it documents (and what a fuzzer reads from it) is what the server does."""

from __future__ import annotations

import inspect
from typing import Any

import msgspec

from hallnet.api import METHODS, ErrorBody
from kiosk.hall import Hall

REF = "#/components/schemas/{name}"


def openapi_document() -> dict[str, Any]:
    methods = list(METHODS.values())
    types = [m.args for m in methods] + [m.returns for m in methods] + [ErrorBody]
    schemas, components = msgspec.json.schema_components(types, ref_template=REF)
    n = len(methods)
    arg_schemas, return_schemas, error_schema = schemas[:n], schemas[n:2 * n], schemas[-1]
    error = {"description": "拒绝：错误类别与中文说明", "content": {"application/json": {"schema": error_schema}}}
    paths: dict[str, Any] = {}
    for m, arg_schema, ret_schema in zip(methods, arg_schemas, return_schemas, strict=True):
        doc = inspect.getdoc(getattr(Hall, m.name)) or ""
        paths[f"/api/{m.name}"] = {"post": {
            "operationId": m.name,
            "summary": m.name,
            "description": doc + f"\n\n可调用的终端角色：{', '.join(sorted(m.roles))}"
            + ("；修改数据，请附 Idempotency-Key" if m.changes else ""),
            "parameters": ([{"name": "Idempotency-Key", "in": "header", "required": False,
                             "schema": {"type": "string", "maxLength": 200}}] if m.changes else []),
            "requestBody": {"required": True, "content": {"application/json": {"schema": arg_schema}}},
            "responses": {"200": {"description": "结果", "content": {"application/json": {"schema": ret_schema}}},
                          "400": error, "401": error, "403": error, "404": error, "409": error, "422": error,
                          "503": error},
        }}
    paths["/api/ping"] = {"get": {"operationId": "ping", "summary": "已认证的空请求",
                                  "responses": {"200": {"description": "本终端的名称和角色"}, "401": error}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "大厅服务器 API", "version": "1"},
        "paths": paths,
        "components": {"schemas": components,
                       "securitySchemes": {"terminalToken": {"type": "http", "scheme": "bearer"}}},
        "security": [{"terminalToken": []}],
    }

