-- The quantization study of a job (issue 9): core's StudyResult JSON once every variant is scored.
-- Variant evaluations are rows of evaluations with split 'study' whose replacements column lists the
-- reduction task ids of the variant's overlays.
alter table jobs add column study text;
