package io.attachkit.ai;

/**
 * Estimates how many tokens a model counts for a text, so attachment content can be kept within a budget.
 *
 * <p>The default, {@link #charsPerToken(double) charsPerToken(4)}, is the usual rule of thumb for English
 * with GPT- and Claude-style tokenizers. Plug in a real tokenizer when exactness matters (JTokkit, or the
 * framework's own {@code TokenCountEstimator}):
 *
 * <pre>{@code
 * TokenEstimator exact = text -> encoding.countTokens(text);   // e.g. a JTokkit Encoding
 * }</pre>
 *
 * <p>Implementations must be thread-safe, never return a negative count, and count a longer prefix of a
 * text as at least as many tokens as a shorter one (the budget cut searches for the longest prefix that fits).
 */
@FunctionalInterface
public interface TokenEstimator {

    /**
     * @param text the text, never {@code null}
     * @return the estimated tokens, at least 0
     */
    int estimate(String text);

    /**
     * @param chars characters per token, e.g. 4 for English prose, about 2 for code or CJK text
     * @return an estimator that rounds {@code text.length() / chars} up
     * @throws IllegalArgumentException if {@code chars} is not a positive number
     */
    static TokenEstimator charsPerToken(double chars) {
        if (!(chars > 0) || Double.isInfinite(chars)) {
            throw new IllegalArgumentException("chars per token must be a positive number, was " + chars);
        }
        return text -> (int) Math.min(Integer.MAX_VALUE, (long) Math.ceil(text.length() / chars));
    }

    /** @return the default estimator, four characters per token */
    static TokenEstimator defaultEstimator() {
        return charsPerToken(4);
    }
}
