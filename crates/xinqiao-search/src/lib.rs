//! Xinqiao's full-text search: a tantivy index with a jieba tokenizer over policy Q&A and masked
//! case narratives, following the store's outbox. The foundation ships it empty; the knowledge
//! issue fills it.
