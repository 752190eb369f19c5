/**
 * attachkit for Spring AI: {@link io.attachkit.springai.AttachmentDocuments} (attachments to documents for
 * retrieval, one per page, sheet, slide or section) and {@link io.attachkit.springai.AttachmentMessages}
 * (attachments to a user message with media for a given model, within a token budget).
 */
package io.attachkit.springai;
