"""Reading the content folder into the validated document model."""
