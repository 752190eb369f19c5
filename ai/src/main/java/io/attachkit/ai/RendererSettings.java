package io.attachkit.ai;

import io.attachkit.FileStore;
import java.util.Objects;

/**
 * The settings of an {@link AttachmentRenderer}, shared by its own builder and by the AI framework adapters'
 * message builders (which render with it and convert the parts to their framework's types). Each setter checks
 * its argument at once; not thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class RendererSettings<B extends RendererSettings<B>> {
    FileStore store;
    ModelCapabilities capabilities = ModelCapabilities.textOnly();
    int tokenBudget = 8_000;
    TokenEstimator estimator = TokenEstimator.defaultEstimator();

    /** For subclasses: the builders of this module and of the adapters. */
    protected RendererSettings() {
    }

    /** @return this builder, as its concrete type */
    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /**
     * @param store where stored attachments' bytes are read from (required)
     * @return this builder
     */
    public B store(FileStore store) {
        this.store = Objects.requireNonNull(store, "store");
        return self();
    }

    /**
     * @param capabilities what the target model accepts natively; default {@link ModelCapabilities#textOnly()}
     * @return this builder
     */
    public B capabilities(ModelCapabilities capabilities) {
        this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
        return self();
    }

    /**
     * @param tokens the tokens all attachments of one message may use together; default 8000
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public B tokenBudget(int tokens) {
        if (tokens <= 0) {
            throw new IllegalArgumentException("tokenBudget must be positive, was " + tokens);
        }
        this.tokenBudget = tokens;
        return self();
    }

    /**
     * @param estimator how tokens are counted; default {@link TokenEstimator#defaultEstimator()}
     * @return this builder
     */
    public B estimator(TokenEstimator estimator) {
        this.estimator = Objects.requireNonNull(estimator, "estimator");
        return self();
    }

    /**
     * @return a renderer with these settings
     * @throws IllegalStateException if no store was set
     */
    protected final AttachmentRenderer renderer() {
        if (store == null) {
            throw new IllegalStateException("store is required: call store(FileStore) with the store the attachments were saved in");
        }
        return new AttachmentRenderer(this);
    }
}
