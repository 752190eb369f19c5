/** The office processors' benchmark runner: extraction time and peak heap against reference tools. */
package io.attachkit.benchmarks.office;
