namespace Kefu.Bots.Faq;

/// <summary>
/// Maps a raw similarity to a confidence. A top match that a second entry nearly ties is less
/// trustworthy than its score says, so the margin discounts it.
/// </summary>
internal static class ConfidenceCalibrator
{
    private const double Midpoint = 0.38;
    private const double Steepness = 10.0;

    public static double Confidence(float score, float runnerUp)
    {
        var margin = Math.Clamp((score - runnerUp) / 0.15, 0.0, 1.0);
        var adjusted = score * (0.8 + (0.2 * margin));
        // A logistic around the similarity where right and wrong answers part ways on the dev half
        // of eval/faq; out-of-scope questions stay far below it.
        return 1.0 / (1.0 + Math.Exp(-Steepness * (adjusted - Midpoint)));
    }
}
