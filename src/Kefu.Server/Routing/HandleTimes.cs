namespace Kefu.Server.Routing;

/// <summary>The moving average of a team's recent handling times (assignment to close), for wait estimates.</summary>
internal sealed class HandleTimes(int samples, double defaultSeconds)
{
    private readonly Queue<double> _recent = new();
    private double _sum;

    public double AverageSeconds => _recent.Count == 0 ? defaultSeconds : _sum / _recent.Count;

    public void Add(double seconds)
    {
        _recent.Enqueue(seconds);
        _sum += seconds;
        if (_recent.Count > samples)
        {
            _sum -= _recent.Dequeue();
        }
    }
}
