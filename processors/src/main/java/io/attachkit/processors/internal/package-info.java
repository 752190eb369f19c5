/**
 * Helpers the processor modules share (text counts, column statistics); not part of attachkit's API.
 */
package io.attachkit.processors.internal;
