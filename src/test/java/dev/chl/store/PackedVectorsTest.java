package dev.chl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PackedVectorsTest {
    private static float[] unit(Random random, int dimension) {
        float[] v = new float[dimension];
        double sum = 0;
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
            sum += v[i] * v[i];
        }
        for (int i = 0; i < dimension; i++) {
            v[i] /= (float) Math.sqrt(sum);
        }
        return v;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void roundTripKeepsCosinesWithinAFewThousandths() {
        Random random = new Random(7);
        float[][] vectors = {unit(random, 384), unit(random, 384), unit(random, 384)};
        float[] query = unit(random, 384);

        float[][] back = PackedVectors.decode(PackedVectors.encode(vectors));

        assertThat(back).hasNumberOfRows(3);
        for (int i = 0; i < vectors.length; i++) {
            assertThat(back[i]).hasSize(384);
            assertThat(dot(query, back[i])).isCloseTo(dot(query, vectors[i]), within(0.005));
            assertThat(dot(back[i], vectors[i])).isGreaterThan(0.999);
        }
    }

    @Test
    void takesAQuarterOfTheFloatsPlusAScalePerVector() {
        float[][] vectors = new float[6][384];

        assertThat(PackedVectors.encode(vectors)).hasSize(8 + 6 * (4 + 384));
    }

    @Test
    void zeroAndNoVectorsSurvive() {
        assertThat(PackedVectors.decode(PackedVectors.encode(new float[0][]))).isEmpty();
        assertThat(PackedVectors.decode(PackedVectors.encode(new float[][] {new float[4]}))[0]).containsExactly(0, 0, 0, 0);
    }
}
