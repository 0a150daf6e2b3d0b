package dev.lasermesh.core.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * The configuration string of the OpenBLAS this process loaded ({@code openblas_get_config()}: version,
 * DYNAMIC_ARCH, the kernel it picked for this CPU, thread limit), looked up by the foreign-function API
 * because the bytedeco presets do not bind it; benchmarks print it next to NumPy's.
 */
public final class OpenBlasConfig {

    private OpenBlasConfig() {
    }

    /** The loaded OpenBLAS's configuration string, or "unknown (…)" when it cannot be read. */
    public static String inProcess() {
        try {
            Loader.load(openblas.class);
            SymbolLookup library = SymbolLookup.libraryLookup("libopenblas.so.0", Arena.global());
            MethodHandle config = Linker.nativeLinker().downcallHandle(library.find("openblas_get_config").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS));
            MemorySegment text = (MemorySegment) config.invokeExact();
            return text.reinterpret(1024).getString(0).strip();
        } catch (Throwable e) {
            return "unknown (" + e + ")";
        }
    }
}
