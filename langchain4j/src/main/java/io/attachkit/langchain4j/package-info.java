/**
 * attachkit for LangChain4j: {@link io.attachkit.langchain4j.AttachmentDocuments} (attachments to
 * documents for retrieval, one per page, sheet, slide or section) and
 * {@link io.attachkit.langchain4j.AttachmentMessages} (attachments to user-message contents for a given
 * model, within a token budget).
 */
package io.attachkit.langchain4j;
