"""Shareable reports built from the warehouse marts (`newsflow report`)."""
