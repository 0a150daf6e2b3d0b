package dev.lasermesh.core.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Python's float repr, as json.dump writes numbers (values checked against CPython 3's repr). */
class PythonFloatsTest {

    @Test
    void positionalBetweenTenToTheMinusFourAndTenToTheSixteen() {
        assertEquals("1.0", PythonFloats.repr(1.0));
        assertEquals("0.10726984322348872", PythonFloats.repr(0.10726984322348872));
        assertEquals("0.0001", PythonFloats.repr(1e-4));
        assertEquals("123456789.0", PythonFloats.repr(123456789.0));
        assertEquals("1000000000000000.0", PythonFloats.repr(1e15));
        assertEquals("-2.5", PythonFloats.repr(-2.5));
        assertEquals("0.0", PythonFloats.repr(0.0));
        assertEquals("-0.0", PythonFloats.repr(-0.0));
    }

    @Test
    void scientificOutsideWithATwoDigitExponent() {
        assertEquals("1e-05", PythonFloats.repr(1e-5));
        assertEquals("1.5e-07", PythonFloats.repr(1.5e-7));
        assertEquals("1e+16", PythonFloats.repr(1e16));
        assertEquals("1.2345e+20", PythonFloats.repr(1.2345e20));
        assertEquals("5e-324", PythonFloats.repr(Double.MIN_VALUE));
        assertEquals("1.7976931348623157e+308", PythonFloats.repr(Double.MAX_VALUE));
    }

    @Test
    void nonFiniteAsJsonDumpWritesThem() {
        assertEquals("Infinity", PythonFloats.repr(Double.POSITIVE_INFINITY));
        assertEquals("-Infinity", PythonFloats.repr(Double.NEGATIVE_INFINITY));
        assertEquals("NaN", PythonFloats.repr(Double.NaN));
    }
}
