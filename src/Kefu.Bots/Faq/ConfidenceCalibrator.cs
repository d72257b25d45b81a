namespace Kefu.Bots.Faq;

/// <summary>
/// Maps a raw similarity to a confidence. A top match that a second entry nearly ties is less
/// trustworthy than its score says, so the margin discounts it.
/// </summary>
internal static class ConfidenceCalibrator
{
    private const double Midpoint = 0.41;
    private const double Steepness = 8.0;

    public static double Confidence(float score, float runnerUp)
    {
        var margin = Math.Clamp((score - runnerUp) / 0.15, 0.0, 1.0);
        var adjusted = score * (0.8 + (0.2 * margin));
        // A logistic placed from the dev half of eval/faq (`Kefu.Eval --calibrate`): confidence 0.75
        // falls where about 4% of answered questions are wrong; out-of-scope questions stay below 0.3.
        return 1.0 / (1.0 + Math.Exp(-Steepness * (adjusted - Midpoint)));
    }
}
