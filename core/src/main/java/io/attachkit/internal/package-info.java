/**
 * Helpers shared by attachkit's modules: path and id rules, strict base64. Not a public API: users never
 * need to import anything from {@code io.attachkit.internal}, and it may change in any release.
 */
package io.attachkit.internal;
