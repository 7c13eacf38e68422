# Every dependency is a Debian 12 package (see tools/setup.sh for the apt line).
find_package(OpenCV 4.6 REQUIRED COMPONENTS core imgproc imgcodecs videoio highgui dnn)
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBAV REQUIRED IMPORTED_TARGET
  libavformat libavcodec libavutil libswscale libavdevice)
find_package(TBB 2021 REQUIRED CONFIG)
find_package(Boost 1.74 REQUIRED COMPONENTS filesystem program_options)
find_package(yaml-cpp REQUIRED)
find_package(Protobuf REQUIRED)          # must precede ONNX (its targets need protobuf::libprotobuf)
find_package(ONNX REQUIRED CONFIG)
find_package(nlohmann_json 3 REQUIRED)
find_package(spdlog REQUIRED)
find_package(Threads REQUIRED)
if(NEUROPIPE_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED)
  include(Catch)
endif()
# The model store verifies sha256 with OpenSSL's EVP and downloads with libcurl
# (https:// and file://): maintained libraries instead of hand-written code.
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto)
find_package(CURL REQUIRED)
