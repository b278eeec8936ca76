using SkillForge.Bench;

// ops/dev.sh bench [cleanup]: each scenario prints its table and appends it to docs/.
var scenario = args.FirstOrDefault() ?? "cleanup";
return scenario switch
{
    "cleanup" => await CleanupBenchmark.RunAsync(args.Skip(1).ToArray()),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: SkillForge.Bench cleanup [--sessions N] [--messages-per-session M]");
    return 2;
}
