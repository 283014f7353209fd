"""Response models of the native routes, apart from the routes (the OpenAPI contract's shapes)."""
