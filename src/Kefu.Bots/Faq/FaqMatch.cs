using Kefu.Core.Bots;
namespace Kefu.Bots.Faq;

/// <summary>One candidate entry: <see cref="Score"/> is the raw similarity, <see cref="Confidence"/> the calibrated one in [0, 1].</summary>
public sealed record FaqMatch(FaqEntry Entry, double Score, double Confidence);
