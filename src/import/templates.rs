//! Built-in architecture templates (`models/templates/*.yaml`, embedded).
