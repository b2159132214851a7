package dev.ravine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The kernels in use are the ones asked for: the widths profile (pom.xml) runs the suite with JVM flags for each
 * vector width and says through ravine.expect.* what they must have given, so a flag that silently did not take
 * fails here instead of leaving a width untested.
 */
class KernelsTest {
    @Test
    void theFlagsOfThisRunTookEffect() {
        String bits = System.getProperty("ravine.expect.bits");
        if (bits != null) assertEquals(Integer.parseInt(bits), FloatVector.SPECIES_PREFERRED.vectorBitSize(), "preferred vector width");
        String registers = System.getProperty("ravine.expect.registers");
        boolean x86 = System.getProperty("os.arch").equals("amd64") || System.getProperty("os.arch").equals("x86_64");
        if (registers != null && x86) assertEquals(Integer.parseInt(registers), TileShape.vectorRegisters(), "vector registers");
        if ("scalar".equals(System.getenv("RAVINE_KERNELS"))) {
            assertFalse(Kernels.vector(), "RAVINE_KERNELS=scalar");
            assertTrue(Kernels.describe().startsWith("scalar"), Kernels.describe());
        }
    }

    @Test
    void theTileFitsTheRegisterFile() {
        TileShape tile = TileShape.inUse();
        assertTrue(tile.registers() <= TileShape.vectorRegisters(), tile + " needs " + tile.registers() + " registers");
        assertEquals(tile.rows(), PackedGemm32.MR);
        assertEquals(tile.vectors() * FloatVector.SPECIES_PREFERRED.length(), PackedGemm32.NR);
        Kernels.useVector(true);
        try {
            String text = Kernels.describe();
            assertTrue(text.contains(FloatVector.SPECIES_PREFERRED.vectorBitSize() + "-bit") && text.contains("tile " + tile), text);
        } finally {
            Kernels.useDefault();
        }
    }

    @Test
    void tileShapesFollowTheRegisterFileUnlessOverridden() {
        assertEquals(TileShape.T8X2, TileShape.choose(null, 32));
        assertEquals(TileShape.T6X2, TileShape.choose("", 16));
        assertEquals(TileShape.T4X3, TileShape.choose("4x3", 32));
        for (TileShape t : TileShape.values()) assertTrue(t.registers() <= 32);
        assertTrue(TileShape.T4X2.registers() <= 16 && TileShape.T6X2.registers() <= 16 && TileShape.T4X3.registers() <= 16);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TileShape.choose("9x9", 16));
        assertEquals("RAVINE_TILE=9x9: not a tile shape (8x2, 6x2, 4x3 or 4x2)", e.getMessage());
    }
}
