"""Base for API response shapes.

Responses are validated by plain pydantic models (fast, in Rust) rather than ninja's ``Schema``,
which routes every attribute through a Python wrapper; ``from_attributes`` lets them read
model instances as well as dicts.
"""

from pydantic import BaseModel, ConfigDict


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)
