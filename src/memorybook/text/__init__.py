"""Text tools for names: normalisation, transliteration, phonetic keys."""
