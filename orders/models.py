"""Orders, RFQs and inquiries arrive with the trade issue; the app exists so the layering is fixed."""
