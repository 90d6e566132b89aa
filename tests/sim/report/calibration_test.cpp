// Reliability tables and isotonic calibration maps.

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "caf/consensus/error.hpp"
#include "caf/consensus/sim/report/calibration.hpp"

using namespace caf::consensus;
using namespace caf::consensus::sim;

TEST(calibration, bins_ece_and_brier_by_hand) {
  calibration_acc acc;
  // Bin 9: confidences 0.95 and 1.0, one right; bin 5: 0.5, right.
  acc.add(0.95, true);
  acc.add(1.0, false);
  acc.add(0.5, true);
  acc.add(7.0, true);   // clamped to 1 (bin 9)
  acc.add(-1.0, false); // clamped to 0 (bin 0)
  auto x = acc.get();
  ASSERT_EQ(x.bins.size(), 10u);
  EXPECT_EQ(x.n, 5u);
  EXPECT_EQ(x.bins[9].accuracy.n, 3u);
  EXPECT_EQ(x.bins[9].accuracy.hits, 2u);
  EXPECT_NEAR(x.bins[9].mean_confidence, (0.95 + 1 + 1) / 3, 1e-15);
  EXPECT_EQ(x.bins[5].accuracy.n, 1u);
  EXPECT_EQ(x.bins[0].accuracy.n, 1u);
  EXPECT_DOUBLE_EQ(x.bins[9].lo, 0.9);
  auto ece = 3.0 / 5 * std::abs(2.0 / 3 - (0.95 + 2) / 3)
             + 1.0 / 5 * std::abs(1 - 0.5) + 1.0 / 5 * 0;
  EXPECT_NEAR(x.ece, ece, 1e-15);
  auto brier = (0.05 * 0.05 + 1 + 0.25 + 0 + 0) / 5;
  EXPECT_NEAR(x.brier, brier, 1e-15);
}

TEST(calibration, isotonic_fit_pools_violators) {
  // Confidence 0.2: right 1 of 2; 0.4: 0 of 2 (violates); 0.8: 2 of 2.
  auto m = fit_calibration({{0.2, true},
                            {0.2, false},
                            {0.4, false},
                            {0.4, false},
                            {0.8, true},
                            {0.8, true}});
  ASSERT_TRUE(m) << render(m.error());
  ASSERT_EQ(m->confidence.size(), 2u);
  EXPECT_DOUBLE_EQ(m->confidence[0], 0.3);
  EXPECT_DOUBLE_EQ(m->probability[0], 0.25);
  EXPECT_DOUBLE_EQ(m->confidence[1], 0.8);
  EXPECT_DOUBLE_EQ(m->probability[1], 1.0);
  EXPECT_EQ(m->runs, 6u);
  EXPECT_DOUBLE_EQ(m->apply(0.0), 0.25);
  EXPECT_DOUBLE_EQ(m->apply(0.55), 0.625);
  EXPECT_DOUBLE_EQ(m->apply(1.0), 1.0);
  EXPECT_FALSE(fit_calibration({}));
}

TEST(calibration, a_fitted_map_is_calibrated_in_sample) {
  // Vote shares 0.6 right 70%, 0.8 right 93%, 1.0 right 99%: the map gives
  // back those rates, so the mapped ECE is 0.
  std::vector<std::pair<double, bool>> xs;
  calibration_acc raw;
  for (int i = 0; i < 100; ++i) {
    xs.emplace_back(0.6, i < 70);
    xs.emplace_back(0.8, i < 93);
    xs.emplace_back(1.0, i < 99);
  }
  auto m = fit_calibration(xs);
  ASSERT_TRUE(m);
  calibration_acc mapped;
  for (auto& [c, y] : xs) {
    raw.add(c, y);
    mapped.add(m->apply(c), y);
  }
  EXPECT_GT(raw.get().ece, 0.05);
  EXPECT_NEAR(mapped.get().ece, 0.0, 1e-12);
  EXPECT_LT(mapped.get().brier, raw.get().brier);
}

TEST(calibration, maps_round_trip_and_bad_files_name_the_problem) {
  auto m = fit_calibration({{0.5, true}, {0.5, false}, {0.9, true}});
  ASSERT_TRUE(m);
  m->policy = "vote";
  auto back = calibration_map_from_json(to_json(*m), "x");
  ASSERT_TRUE(back) << render(back.error());
  EXPECT_EQ(back->confidence, m->confidence);
  EXPECT_EQ(back->probability, m->probability);
  EXPECT_EQ(back->policy, "vote");
  EXPECT_EQ(back->runs, 3u);
  auto bad = [](const std::string& text) {
    auto x = nlohmann::json::parse(text);
    auto r = calibration_map_from_json(x, "m.json");
    return r ? std::string{"ok"} : render(r.error());
  };
  const std::string head
    = R"("format": "caf-consensus calibration map", "version": 1, )";
  EXPECT_EQ(bad("[]"), "malformed_input: m.json: expected a JSON object (a "
                       "calibration map)");
  EXPECT_EQ(bad(R"({"format": "x"})"),
            "malformed_input: m.json: not a calibration map (key 'format' "
            "must be \"caf-consensus calibration map\")");
  EXPECT_EQ(bad(R"({"format": "caf-consensus calibration map", "version": 2})"),
            "malformed_input: m.json: unsupported calibration map version "
            "(this program reads version 1)");
  EXPECT_EQ(bad("{" + head + R"("confidence": [0.5], "probability": [])" + "}"),
            "malformed_input: m.json: key 'probability' must be a non-empty "
            "list of numbers");
  EXPECT_EQ(
    bad("{" + head + R"("confidence": [0.5, 2], "probability": [0, 1]})"),
    "malformed_input: m.json: confidence[1] must be a number in [0, "
    "1], got 2");
  EXPECT_EQ(
    bad("{" + head + R"("confidence": [0.5, 0.4], "probability": [0, 1]})"),
    "malformed_input: m.json: 'confidence' must be strictly "
    "increasing (at index 1)");
  EXPECT_EQ(
    bad("{" + head + R"("confidence": [0.4, 0.5], "probability": [1, 0]})"),
    "malformed_input: m.json: 'probability' must not decrease (at "
    "index 1)");
  EXPECT_EQ(bad("{" + head + R"("confidence": [0.4], "probability": [1, 0]})"),
            "malformed_input: m.json: 'confidence' and 'probability' must "
            "have the same length");
  // Files: missing, not JSON.
  auto missing = load_calibration_map("/nonexistent/map.json");
  ASSERT_FALSE(missing);
  EXPECT_EQ(render(missing.error()),
            "malformed_input: /nonexistent/map.json: cannot open");
  auto path = testing::TempDir() + "calibration-not-json.json";
  std::ofstream{path} << "{ not json";
  auto broken = load_calibration_map(path);
  ASSERT_FALSE(broken);
  EXPECT_EQ(render(broken.error()),
            "malformed_input: " + path + ": not valid JSON");
  std::remove(path.c_str());
}
