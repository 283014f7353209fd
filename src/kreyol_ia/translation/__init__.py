"""Translation: engines, segmentation, language detection and the TranslationService."""
