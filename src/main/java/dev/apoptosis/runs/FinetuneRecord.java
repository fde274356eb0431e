package dev.apoptosis.runs;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of {@code finetune.jsonl}: a prune run's accuracy at one target, straight after pruning
 * and after fine-tuning ({@code epochs} epochs; 0 means not fine-tuned and both accuracies are the
 * pruned model's), with the model's MACs and parameters there.
 */
public record FinetuneRecord(double target, @JsonProperty("top1_pruned") double top1Pruned,
                             @JsonProperty("top1_finetuned") double top1Finetuned, int epochs, long macs, long params) {}
