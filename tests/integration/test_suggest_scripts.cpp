// Completions in scripts written without spaces (Thai, Burmese, Japanese): what is typed is
// completed into words of the index, or runs of them that stand together in a document,
// never a piece glued to a made-up completion; and in scripts whose words are indexed
// folded (Greek, Arabic, Persian), as the documents write them. Small corpora of UDHR
// passages.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "corpus_search.h"
#include "rights/index_builder.h"
#include "rights/search.h"
#include "temp_dir.h"

using namespace rights::testing;

namespace {

bool offers_term(const std::vector<rights::Suggestion>& offered, const std::string& value) {
  return std::any_of(offered.begin(), offered.end(), [&](const rights::Suggestion& suggestion) {
    return suggestion.kind == "term" && suggestion.value == value;
  });
}

}  // namespace

TEST_CASE("suggest: scripts without spaces complete into words that find documents", "[integration][suggest]") {
  TempDir dir("rights-suggest-unspaced");
  // UDHR articles 2 and 3 in Thai: ภาษา, ภายใต้ start like the end of the half-typed เสรีภา.
  dir.write("corpus/th.txt", "ข้อ 2 ทุกคนย่อมมีสิทธิและอิสรภาพบรรดาที่กำหนดไว้ในปฏิญญานี้ "
            "โดยปราศจากความแตกต่างไม่ว่าชนิดใด ๆ ดังเช่น "
            "เชื้อชาติ ผิว เพศ ภาษา ศาสนา ความคิดเห็นทางการเมืองหรือทางอื่น "
            "เผ่าพันธุ์แห่งชาติ หรือสังคม ทรัพย์สิน "
            "กำเนิด หรือสถานะอื่น ๆ อนึ่งจะไม่มีความแตกต่างใด "
            "ๆ ตามมูลฐานแห่งสถานะทางการเมือง ทางการศาล "
            "หรือทางการระหว่างประเทศของประเทศหรือดินแดนที่บุคคลสังกัด "
            "ไม่ว่าดินแดนนี้จะเป็นเอกราช อยู่ในความพิทักษ์มิได้ปกครองตนเอง "
            "หรืออยู่ภายใต้การจำกัดอธิปไตยใด ๆ ทั้งสิ้น "
            "ข้อ 3 คนทุกคนมีสิทธิในการดำรงชีวิต เสรีภาพ "
            "และความมั่นคงแห่งตัวตน");
  // Burmese preamble: လွတ်လပ်စွာ "freely", which a Burmese reader types as လွတ်လပ... first.
  dir.write("corpus/my.txt", "လူ့အခွင့်ရေးများကို အရေးမထား မထီလေးစားပြုခြင်းသည် "
            "လူခပ်သိမ်း၏ အကျင့်သိက္ခာကို ချိုးဖောက် "
            "ဖျက်ဆီးတတ်သည့် ရက်စက်ကြမ်းကြုတ်သော အပြုအမှုများကို "
            "ဖြစ်ပေါ်စေခဲ့သောကြောင့်လည်းကောင်း၊ လွတ်လပ်စွာ "
            "ဖွင့်ဟပြောဆိုနိုင်မှု လွတ်လပ်စွာ သက်ဝင် "
            "ယုံကြည်နိုင်မှု၊ ကြောက်ရွံ့ခြင်း၊ ချို့ငဲ့ခြင်းတို့မှ "
            "ကင်းလွတ်စွာ အသက်မွေးနိုင်မှုတို့ကို ခံစားရယူနိုင်စေမည့်");
  // Japanese preamble and article 1: 人権, 人類 and 人間 all complete 人, after 世界 only 人権.
  dir.write("corpus/ja.txt", "世界人権宣言\n"
            "人類社会のすべての構成員の固有の尊厳と平等で譲ることのできない権利とを承認することは、"
            "世界における自由、正義及び平和の基礎であるので、第１条 すべての人間は、生まれながらにして自由であり、"
            "かつ、尊厳と権利とについて平等である。人間は、理性と良心とを授けられており、"
            "互いに同胞の精神をもって行動しなければならない。");
  const auto index = dir.path() / "index";
  rights::build_index(dir.path() / "corpus", index, {});
  Searcher searcher(index.string(), std::make_shared<rights::Authority>());

  for (const char* typed : {"เสรีภา", "เสรีภ", "เสรี", "ภา", "လွတ်လပ", "世界人", "人権宣", "人"}) {
    for (const auto& suggestion : searcher.suggest(typed, 10, false)) {
      CAPTURE(typed, suggestion.value);
      if (suggestion.kind == "term") CHECK(searcher.search(request(suggestion.value)).total > 0);
    }
  }
  // The word being typed, whole, rather than its last dictionary piece completed.
  CHECK(offers_term(searcher.suggest("เสรีภา", 10, false), "เสรีภาพ"));
  CHECK(offers_term(searcher.suggest("เสรีภ", 10, false), "เสรีภาพ"));
  CHECK(offers_term(searcher.suggest("လွတ်လပ", 10, false), "လွတ်လပ်"));
  // Pieces completed after others when they stand together in a document.
  CHECK(offers_term(searcher.suggest("人権宣", 10, false), "人権宣言"));
  CHECK(offers_term(searcher.suggest("世界人", 10, false), "世界人権"));
}

TEST_CASE("suggest: Thai and Lao completions are written with sara am", "[integration][suggest]") {
  TempDir dir("rights-suggest-sara-am");
  // กำหนด "set out", ดำรง "keep (alive)", ກະທຳ "act": the index stores words after NFKC,
  // which writes sara am (U+0E33, Lao U+0EB3) as nikhahit + sara aa, as no reader types it.
  dir.write("corpus/th.txt", "ทุกคนย่อมมีสิทธิและอิสรภาพบรรดาที่กำหนดไว้ในปฏิญญานี้ "
                             "คนทุกคนมีสิทธิในการดำรงชีวิต เสรีภาพ และความมั่นคงแห่งตัวตน");
  dir.write("corpus/lo.txt", "ດ້ວຍເຫດວ່າ: ການບໍ່ຮັບຮູ້ ແລະ ໜີ່ນປະໝາດຕໍ່ສິດຂອງມະນຸດນັ້ນໄດ້ເປັນຕົ້ນເຫດໃຫ້ເກີດການກະທຳຢ່າງປ່າເຖື່ອນຊື່ງຈະເຮັດໃຫ້ແຄ້ນໃຈຕໍ່ມະໂນທຳຂອງມະນຸດ ແລະ ເຫັນວ່າການນຳຊື່ງໂລກມະນ");
  const auto index = dir.path() / "index";
  rights::build_index(dir.path() / "corpus", index, {});
  Searcher searcher(index.string(), std::make_shared<rights::Authority>());

  CHECK(offers_term(searcher.suggest("กำห", 10, false), "กำหนด"));
  CHECK(offers_term(searcher.suggest("ดำ", 10, false), "ดำรง"));
  CHECK(offers_term(searcher.suggest("ກະທ", 10, false), "ກະທຳ"));
  for (const char* typed : {"กำห", "ดำ", "ກະທ", "ທຳ"}) {
    for (const auto& suggestion : searcher.suggest(typed, 10, false)) {
      CAPTURE(typed, suggestion.value);
      CHECK(suggestion.value.find("\u0E4D\u0E32") == std::string::npos);
      CHECK(suggestion.value.find("\u0ECD\u0EB2") == std::string::npos);
      if (suggestion.kind == "term") CHECK(searcher.search(request(suggestion.value)).total > 0);
    }
  }
}

TEST_CASE("suggest: Greek and Arabic-script completions are written as the documents write them",
          "[integration][suggest]") {
  TempDir dir("rights-suggest-written");
  // Greek keeps its accents, Arabic its hamza, Persian and Urdu their own yeh and kaf; the
  // index folds all three. The vowelled Arabic word (الإِنْسَان) is offered without harakat.
  dir.write("corpus/el.txt", "Άρθρο 1. Όλοι οι άνθρωποι γεννιούνται ελεύθεροι και ίσοι στην αξιοπρέπεια και τα "
                             "δικαιώματα. Είναι προικισμένοι με λογική και συνείδηση.");
  dir.write("corpus/ar.txt", "يولد جميع الناس أحراراً متساوين في الكرامة والحقوق. حقوق الإِنْسَان للجميع.");
  dir.write("corpus/fa.txt", "همه افراد بشر آزاد به دنیا می‌آیند. هر کشور باید حقوق بشر را محترم بشمارد. کشورهای جهان");
  dir.write("corpus/ur.txt", "تمام انسان آزادی اور حقوق و عزت کے اعتبار سے برابر پیدا ہوئے ہیں۔ آزادیاں");
  const auto index = dir.path() / "index";
  rights::build_index(dir.path() / "corpus", index, {});
  Searcher searcher(index.string(), std::make_shared<rights::Authority>());

  for (const auto& [typed, written] : std::vector<std::pair<std::string, std::string>>{
           {"αξιοπρ", "αξιοπρέπεια"}, {"δικαι", "δικαιώματα"}, {"ΑΞΙΟ", "αξιοπρέπεια"},
           {"الإنس", "الإنسان"}, {"أحرا", "أحرارا"}, {"کشور", "کشورهای"}, {"آزادیا", "آزادیاں"}}) {
    CAPTURE(typed);
    const auto offered = searcher.suggest(typed, 10, false);
    CHECK(offers_term(offered, written));
    for (const auto& suggestion : offered) {
      CAPTURE(suggestion.value);
      if (suggestion.kind == "term") CHECK(searcher.search(request(suggestion.value)).total > 0);
    }
  }
}

TEST_CASE("suggest: a word joined by a hyphen or maqaf completes only into what stands with it",
          "[integration][suggest]") {
  TempDir dir("rights-suggest-hyphen");
  dir.write("corpus/en.txt", "Human-rights defenders were arrested during the riots near the river.");
  dir.write("corpus/he.txt", "כל בני־אדם נולדו בני חורין ושווים. ארץ ואביב.");
  const auto index = dir.path() / "index";
  rights::build_index(dir.path() / "corpus", index, {});
  Searcher searcher(index.string(), std::make_shared<rights::Authority>());
  for (const auto& [typed, expected] : std::vector<std::pair<std::string, std::string>>{
           {"human-ri", "human-rights"}, {"בני־א", "בני־אדם"}}) {
    CAPTURE(typed);
    const auto offered = searcher.suggest(typed, 10, false);
    CHECK(offers_term(offered, expected));
    for (const auto& suggestion : offered) {
      CAPTURE(suggestion.value);
      if (suggestion.kind == "term") CHECK(searcher.search(request(suggestion.value)).total > 0);
    }
  }
}
