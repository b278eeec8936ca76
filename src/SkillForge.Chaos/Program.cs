using SkillForge.Chaos;

// ops/chaos.sh [scenario] [--long]: the fault suite.
return await ChaosSuite.RunAsync(args);
