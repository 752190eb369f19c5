/**
 * Framework-neutral support for the AI adapters: {@link io.attachkit.ai.AttachmentSections} splits a
 * processed attachment into citable sections for retrieval, {@link io.attachkit.ai.AttachmentRenderer}
 * renders attachments as message parts for a model described by {@link io.attachkit.ai.ModelCapabilities}
 * within a token budget counted by a {@link io.attachkit.ai.TokenEstimator}.
 *
 * <p>Most users take these through {@code attachkit-langchain4j} or {@code attachkit-spring-ai}.
 */
package io.attachkit.ai;
